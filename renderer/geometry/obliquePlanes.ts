import { orientationLabel } from './orientationLabel.js';
import type { PlaneAxes } from './planeAxes.js';
import { standardFrame, viewFrame, type ViewFrame } from './viewFrame.js';
import { viewPlaneOf, type ViewPlane } from './ViewPlane.js';
import { indexToWorld, worldToIndex } from '../../core/geometry/indexToWorld.js';
import type { ViewName } from './types.js';
import type { Mat3, Vec3, VolumeGeometry } from '../../core/geometry/types.js';
import { add, dot, scale, subtract } from '../../core/geometry/vec3.js';

/** One view's plane under the MPR rotation. */
export interface MprViewPlane {
  readonly plane: ViewPlane;
  /**
   * The view shows a standard plane (its index slice `cursor[sliceAxis]`, cut without resampling): not a turned
   * plane, nor a sheared grid's slice resampled onto square pixels (that one still lies on `cursor[sliceAxis]`).
   */
  readonly standard: boolean;
  /** World directions of the view's screen and normal. */
  readonly frame: ViewFrame;
}

export interface ObliquePlanesParams {
  readonly geometry: VolumeGeometry;
  readonly axes: Readonly<Record<ViewName, PlaneAxes>>;
  /** The MPR rotation (3×3 rows, LPS); the identity gives the three standard planes. */
  readonly rotation: Mat3;
  /** The crosshair's continuous voxel index: every rotated plane passes through it. */
  readonly point: Vec3;
  /** The crosshair's voxel: the slice a standard plane shows. */
  readonly cursor: Vec3;
}

const views: readonly ViewName[] = ['axial', 'coronal', 'sagittal'];

/**
 * The plane each view shows. A view whose rotated frame is its standard one
 * shows the standard plane through the cursor voxel (viewPlaneOf), so an
 * unrotated viewer cuts slices as before; but where the grid is sheared in
 * that plane (a gantry-tilted CT's sagittal: its index axes 75° apart), its
 * pixels would be parallelograms, so the cursor voxel's slice is resampled
 * onto a square grid instead, its normal step still one slice. Any other
 * view is resampled on a square grid of the volume's smallest spacing, its
 * normal step that long too, through `point`. A resampled grid is centred on
 * the volume centre's projection and covers the projection of the whole
 * volume, out to its voxels' outer faces, so its size depends on the
 * rotation only, not on where the crosshair is.
 */
export function obliquePlanes(p: ObliquePlanesParams): Record<ViewName, MprViewPlane> {
  const out = {} as Record<ViewName, MprViewPlane>;
  for (const view of views) {
    const axes = p.axes[view];
    const frame = viewFrame(p.geometry, axes, p.rotation);
    const own = isStandardFrame(axes, frame, p.geometry);
    const standard = own && hasRectangularPixels(axes);
    const plane = standard
      ? viewPlaneOf(axes, p.cursor[axes.sliceAxis])
      : own
        ? squareSlice(p.geometry, axes, frame, p.cursor)
        : resampledPlane(p.geometry, frame, p.point);
    out[view] = { plane, standard, frame };
  }
  return out;
}

/**
 * Whether the frame is the view's standard frame (normal and screen down within 1e-9), so the view shows its
 * own slices: unturned, or turned about its own normal only. Compared with the standard frame rather than
 * the volume's axes, since on a sheared grid the slice axis is not the slices' normal.
 */
function isStandardFrame(axes: PlaneAxes, frame: ViewFrame, geometry: VolumeGeometry): boolean {
  const standard = standardFrame(geometry, axes);
  return dot(frame.normal, standard.normal) > 1 - 1e-9 && dot(frame.down, standard.down) > 1 - 1e-9;
}

/**
 * Whether a view's two in-plane index axes are perpendicular, so its slices' pixels are true rectangles and
 * can be drawn as they are stored. A gantry-tilted CT's axial and coronal planes are; its sagittal plane,
 * whose axes are the rows and the tilted slice axis, is not. Within 1e-4 (0.006°, 0.05 pixel across 512):
 * stored direction cosines are orthonormal to ~1e-8 only, and slice positions a little uneven.
 */
export function hasRectangularPixels(axes: Pick<PlaneAxes, 'screenRight' | 'screenDown'>): boolean {
  return Math.abs(dot(axes.screenRight, axes.screenDown)) < 1e-4;
}

/** The view's slice through the cursor voxel on a square grid: its normal step one slice, as the standard plane's. */
function squareSlice(geometry: VolumeGeometry, axes: PlaneAxes, frame: ViewFrame, cursor: Vec3): ViewPlane {
  const { normalStep, normalSpacing } = viewPlaneOf(axes, cursor[axes.sliceAxis]);
  return { ...resampledPlane(geometry, frame, cursor), normalStep, normalSpacing };
}

function resampledPlane(geometry: VolumeGeometry, frame: ViewFrame, point: Vec3): ViewPlane {
  const { dimensions, spacing } = geometry;
  const pixel = Math.min(spacing[0], spacing[1], spacing[2]);
  const linear = { origin: [0, 0, 0] as Vec3, spacing, direction: geometry.direction };
  /** Index-space vector of a world vector. */
  const toIndex = (world: Vec3): Vec3 => worldToIndex(linear, world);
  /** World vector of an index-space vector. */
  const toWorld = (index: Vec3): Vec3 => indexToWorld(linear, index);
  const centre: Vec3 = [(dimensions[0] - 1) / 2, (dimensions[1] - 1) / 2, (dimensions[2] - 1) / 2];
  // Half extents of the volume's projection on screen right and down, over the 8 outer corners of its corner voxels:
  // the picture reaches the volume's edge half a voxel beyond the last voxel centres, as a standard slice does.
  const half: Vec3 = [dimensions[0] / 2, dimensions[1] / 2, dimensions[2] / 2];
  let halfRight = 0;
  let halfDown = 0;
  for (let corner = 0; corner < 8; corner++) {
    const offset = toWorld([(corner & 1 ? 1 : -1) * half[0], (corner & 2 ? 1 : -1) * half[1], (corner & 4 ? 1 : -1) * half[2]]);
    halfRight = Math.max(halfRight, Math.abs(dot(offset, frame.right)));
    halfDown = Math.max(halfDown, Math.abs(dot(offset, frame.down)));
  }
  const halfColumns = Math.ceil(halfRight / pixel - 1e-9);
  const halfRows = Math.ceil(halfDown / pixel - 1e-9);
  const columnStep = toIndex(scale(frame.right, pixel));
  const rowStep = toIndex(scale(frame.down, pixel));
  const normalStep = toIndex(scale(frame.normal, pixel));
  // The volume centre moved along the normal onto the plane through `point`.
  const along = dot(toWorld(subtract(point, centre)), frame.normal) / pixel;
  const onPlane = add(centre, scale(normalStep, along));
  const origin = add(onPlane, add(scale(columnStep, -halfColumns), scale(rowStep, -halfRows)));
  return {
    rows: 2 * halfRows + 1,
    columns: 2 * halfColumns + 1,
    origin,
    columnStep,
    rowStep,
    normalStep,
    columnSpacing: pixel,
    rowSpacing: pixel,
    normalSpacing: pixel,
    markers: {
      left: orientationLabel(scale(frame.right, -1)),
      right: orientationLabel(frame.right),
      top: orientationLabel(scale(frame.down, -1)),
      bottom: orientationLabel(frame.down),
    },
  };
}
