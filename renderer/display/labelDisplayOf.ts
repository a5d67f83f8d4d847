import type { SegmentDef } from '../../core/contract.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/** Uint8 or uint16 label voxels, i fastest. */

/**
 * How label layers are drawn as one label image: layer L's value v shows as
 * display code `layerBase[L] + v` (a single layer's codes are its values),
 * and codes index the colour table. Where layers overlap, the later layer shows.
 */
export interface LabelDisplay {
  readonly layers: readonly LabelArray[];
  readonly layerBase: readonly number[];
  /** Largest display code (at least 1). */
  readonly maxCode: number;
  /** Changes whenever a voxel changes, so views recut their labels. */
  readonly revision: number;
}

/**
 * Display codes for the layers: each layer's codes start after the previous
 * layer's largest segment value (main names every value a label map holds,
 * so the segment table covers the voxels).
 */
export function labelDisplayOf(layers: readonly LabelArray[], segments: readonly SegmentDef[], revision: number): LabelDisplay {
  const layerBase: number[] = [];
  let base = 0;
  layers.forEach((_, n) => {
    layerBase.push(base);
    let max = 0;
    for (const s of segments) if (s.layer === n && s.value > max) max = s.value;
    base += max;
  });
  return { layers, layerBase, maxCode: Math.max(1, base), revision };
}

/** A segment's display code. */
export function displayCodeOf(labels: Pick<LabelDisplay, 'layerBase'>, segment: Pick<SegmentDef, 'layer' | 'value'>): number {
  return (labels.layerBase[segment.layer] ?? 0) + segment.value;
}
