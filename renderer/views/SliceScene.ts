import type { Vec3 } from '../../core/geometry/types.js';
import type { Rgba } from '../display/labelColours.js';
import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { VoiWindow } from '../display/windowPresets.js';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import type { ViewPlane } from '../geometry/ViewPlane.js';
import type { SlabMode } from '../reslice/reslicePlane.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';

/** Everything one viewport shows; the renderer redoes only what changed since the last scene. */
export interface SliceScene {
  readonly volume: LoadedVolume;
  /** The view's standard axes (its slices); `plane` is their slice `slice` when `standard`. */
  readonly axes: PlaneAxes;
  /** The crosshair voxel's index along the standard slice axis (what a standard view shows). */
  readonly slice: number;
  /** The plane shown; a new object only when it changed (keep it stable between equal planes). */
  readonly plane: ViewPlane;
  /** The plane is the standard one at `slice`: cut without resampling when one sample thick. */
  readonly standard: boolean;
  /** Samples across the slab at normal-step intervals (1: the plane alone) and how they combine. */
  readonly slab: { readonly samples: number; readonly mode: SlabMode };
  /** A continuous voxel index (the crosshair) kept at the same CSS point, at the same mm scale, when the grid changes size. */
  readonly pivot: Vec3;
  readonly voi: VoiWindow;
  /** The label layers to draw; a new object whenever a voxel changes. */
  readonly labels: LabelDisplay | null;
  /** The label colour table (see labelColours), by display code; a new array whenever a colour, visibility or the opacity changes. */
  readonly maskColours: readonly Rgba[] | null;
  readonly outline: boolean;
  /** A tool's proposed mask, drawn over the labels in its (lightened) colour; a new object whenever it changes. */
  readonly preview: ScenePreview | null;
}

/** See {@link SliceScene.preview}. */
export interface ScenePreview {
  /** Non-zero where proposed, one byte per voxel of the volume. */
  readonly mask: Uint8Array;
  readonly colour: readonly [number, number, number];
}
