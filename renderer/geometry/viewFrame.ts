import type { PlaneAxes } from './planeAxes.js';
import type { Mat3, Vec3, VolumeGeometry } from '../../core/geometry/types.js';
import { cross, dot, scale, subtract, unit } from '../../core/geometry/vec3.js';

/** A view's plane in the world: LPS unit vectors of screen right, screen down and "forward" (the normal). */
export interface ViewFrame {
  readonly right: Vec3;
  readonly down: Vec3;
  readonly normal: Vec3;
}

/**
 * The world frame of a view's standard plane, the index plane it shows
 * unturned. The normal is perpendicular to that plane's two in-plane axes
 * (screen right × screen down), pointing the way the view's slices go
 * forward; on a sheared grid (a gantry-tilted CT) that is not the slice
 * axis, which leans across the slices. Screen down is the in-plane axis
 * that runs down the screen, and screen right completes the frame with the
 * screen's handedness: where the in-plane axes are not perpendicular (a
 * sheared sagittal plane), right is the in-plane direction perpendicular to
 * down.
 */
export function standardFrame(geometry: Pick<VolumeGeometry, 'direction'>, axes: PlaneAxes): ViewFrame {
  const across = unit(cross(axes.screenRight, axes.screenDown));
  const forward = dot(across, geometry.direction[axes.sliceAxis]) * axes.sliceForward < 0 ? -1 : 1;
  const normal = scale(across, forward);
  const down = axes.screenDown;
  return { right: unit(scale(cross(down, normal), handedness(axes, normal))), down, normal };
}

/**
 * The world frame of a view under the MPR rotation R (3×3 rows, LPS).
 * The normal is R · the standard frame's normal. Screen down is the standard
 * screen down projected onto the rotated plane (R · standard down if that
 * projection vanishes), and screen right completes the frame with the
 * standard frame's handedness. So turning about a view's own normal leaves
 * that view's picture where it was (only its crosshair lines turn) while the
 * other two views' planes turn about it, as in 3D Slicer's and OHIF's MPR;
 * with R = identity this is {@link standardFrame}.
 */
export function viewFrame(geometry: Pick<VolumeGeometry, 'direction'>, axes: PlaneAxes, rotation: Mat3): ViewFrame {
  const standard = standardFrame(geometry, axes);
  const normal = unit(apply(rotation, standard.normal));
  const projected = subtract(standard.down, scale(normal, dot(standard.down, normal)));
  const down = Math.hypot(...projected) > 1e-6 ? unit(projected) : unit(apply(rotation, standard.down));
  const right = unit(scale(cross(down, normal), handedness(axes, standard.normal)));
  return { right, down, normal };
}

/** Whether screen right lies along down × normal (+1) or against it (−1), as the volume's index axes run on the screen. */
function handedness(axes: PlaneAxes, normal: Vec3): 1 | -1 {
  return dot(axes.screenRight, cross(axes.screenDown, normal)) < 0 ? -1 : 1;
}

function apply(m: Mat3, v: Vec3): Vec3 {
  return [dot(m[0], v), dot(m[1], v), dot(m[2], v)];
}
