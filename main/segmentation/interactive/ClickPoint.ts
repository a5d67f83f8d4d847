import type { Vec3 } from '../../../core/geometry/types.js';

/**
 * One click: `fg` adds to a label (the first non-background label name unless `label` names one), `bg` marks
 * background. `world` is DICOM's LPS position in mm, as the viewer's readout shows it.
 */
export interface ClickPoint {
  readonly kind: 'fg' | 'bg';
  readonly world: Vec3;
  /** For a model with several labels: which label name a foreground click adds to. */
  readonly label?: string;
}

/** A box of source voxel indices: `start` included, `end` excluded, per axis i, j, k. */
export interface VoxelBox {
  readonly start: Vec3;
  readonly end: Vec3;
}
