import { planeAxes } from '../geometry/planeAxes.js';
import { identityRotation, rotateAbout } from '../geometry/rotateAbout.js';
import type { ViewName } from '../geometry/types.js';
import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import { cross } from '../../core/geometry/vec3.js';
import { viewFrame } from '../geometry/viewFrame.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import type { SlabMode } from '../reslice/reslicePlane.js';

/** A view's thick slab: thicknessMm 0 (or less than one sample) shows the plane alone. */
export interface SlabSettings {
  readonly mode: SlabMode;
  readonly thicknessMm: number;
}

/** Oblique MPR and thick slabs. */
export interface MprState {
  /** World (LPS) rotation of the planes, 3×3 rows; the identity shows the three standard planes. */
  readonly rotation: Mat3;
  /**
   * The crosshair's continuous voxel index: every turned plane passes
   * through it. ViewerState.cursor is its voxel; where the two disagree
   * (something moved the cursor alone), the cursor wins.
   */
  readonly point: Vec3;
  readonly slabs: Readonly<Record<ViewName, SlabSettings>>;
}

export type MprAction =
  /** Turns the crosshair in `view` by `angle` radians, clockwise on screen: the other views' planes turn about this view's normal. */
  | { readonly type: 'mprRotate'; readonly view: ViewName; readonly angle: number }
  /** Back to the three standard planes through the crosshair's voxel. */
  | { readonly type: 'mprReset' }
  | { readonly type: 'mprSlab'; readonly view: ViewName; readonly slab: Partial<SlabSettings> }
  /** Moves the crosshair to a continuous voxel index (clicks and scrolling on turned planes). */
  | { readonly type: 'mprPoint'; readonly index: Vec3 };

const thin: SlabSettings = { mode: 'mip', thicknessMm: 0 };

export const initialMprState: MprState = {
  rotation: identityRotation,
  point: [0, 0, 0],
  slabs: { axial: thin, coronal: thin, sagittal: thin },
};

/** The largest slab, in mm. */
export const maxSlabMm = 500;

/** The crosshair point the planes should use: `point`, unless the cursor has since moved to another voxel. */
export function crosshairPoint(mpr: MprState, cursor: Vec3): Vec3 {
  return mpr.point.every((v, a) => Math.round(v) === cursor[a]) ? mpr.point : cursor;
}

/** What the MPR reducer reads and writes of the viewer's state (ViewerState has it; naming that here would make the two files import each other). */
export interface MprHost {
  readonly volume: LoadedVolume | null;
  readonly cursor: Vec3;
  readonly mpr: MprState;
}

/** The MPR part of the viewer's reducer. */
export function mprReducer<S extends MprHost>(state: S, action: MprAction): S {
  const { mpr } = state;
  switch (action.type) {
    case 'mprRotate': {
      const header = state.volume?.header;
      if (!header || !Number.isFinite(action.angle) || action.angle === 0) return state;
      const frame = viewFrame(header, planeAxes(header, action.view), mpr.rotation);
      const { right: r, down: d } = frame;
      const axis = cross(r, d);
      return { ...state, mpr: { ...mpr, rotation: rotateAbout(mpr.rotation, axis, action.angle), point: crosshairPoint(mpr, state.cursor) } };
    }
    case 'mprReset':
      return { ...state, mpr: { ...mpr, rotation: identityRotation, point: state.cursor } };
    case 'mprSlab': {
      const slab = { ...mpr.slabs[action.view], ...action.slab };
      const thicknessMm = Number.isFinite(slab.thicknessMm) ? Math.min(maxSlabMm, Math.max(0, slab.thicknessMm)) : 0;
      return { ...state, mpr: { ...mpr, slabs: { ...mpr.slabs, [action.view]: { ...slab, thicknessMm } } } };
    }
    case 'mprPoint': {
      const dims = state.volume?.header.dimensions;
      if (!dims || !action.index.every(Number.isFinite)) return state;
      const point = action.index.map((v, a) => Math.min(dims[a]! - 1, Math.max(0, v))) as unknown as Vec3;
      return { ...state, cursor: point.map(Math.round) as unknown as Vec3, mpr: { ...mpr, point } };
    }
  }
}
