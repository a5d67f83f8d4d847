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
 * The world frame of a view under the MPR rotation R (3×3 rows, LPS).
 * The normal is R · the standard view's normal. Screen down is the standard
 * screen down projected onto the rotated plane (R · standard down if that
 * projection vanishes), and screen right completes the frame with the
 * standard frame's handedness. So turning about a view's own normal leaves
 * that view's picture where it was (only its crosshair lines turn) while the
 * other two views' planes turn about it, as in 3D Slicer's and OHIF's MPR;
 * with R = identity this is the standard frame.
 */
export function viewFrame(geometry: Pick<VolumeGeometry, 'direction'>, axes: PlaneAxes, rotation: Mat3): ViewFrame {
  const standardNormal = scale(geometry.direction[axes.sliceAxis], axes.sliceForward);
  const standardDown = axes.screenDown;
  const handedness = Math.sign(dot(axes.screenRight, cross(standardDown, standardNormal))) || 1;
  const normal = unit(apply(rotation, standardNormal));
  const projected = subtract(standardDown, scale(normal, dot(standardDown, normal)));
  const down = Math.hypot(...projected) > 1e-6 ? unit(projected) : unit(apply(rotation, standardDown));
  const right = unit(scale(cross(down, normal), handedness));
  return { right, down, normal };
}

function apply(m: Mat3, v: Vec3): Vec3 {
  return [dot(m[0], v), dot(m[1], v), dot(m[2], v)];
}
