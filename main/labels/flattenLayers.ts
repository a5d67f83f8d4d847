import type { SegmentDef } from '../../core/contract.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

export interface FlatLabels {
  readonly labels: LabelArray;
  /** The segment table of `labels` (values renumbered when there were several layers). */
  readonly segments: readonly SegmentDef[];
  /** Voxels that belonged to more than one segment; the label map keeps the later segment. */
  readonly overlapping: number;
}

/**
 * One label map from label layers, for formats that hold one label per
 * voxel (NIfTI, NRRD): a single layer as it is; several layers renumbered
 * 1…N in segment order, a voxel in two segments keeping the later one.
 */
export function flattenLayers(layers: readonly LabelArray[], segments: readonly SegmentDef[], voxelCount: number): FlatLabels {
  if (layers.length <= 1) return { labels: layers[0] ?? new Uint8Array(voxelCount), segments, overlapping: 0 };
  const labels = segments.length > 255 ? new Uint16Array(voxelCount) : new Uint8Array(voxelCount);
  let overlapping = 0;
  segments.forEach((segment, n) => {
    const layer = layers[segment.layer];
    if (!layer) return;
    for (let v = 0; v < voxelCount; v++) {
      if (layer[v] !== segment.value) continue;
      if (labels[v] !== 0) overlapping++;
      labels[v] = n + 1;
    }
  });
  return { labels, segments: segments.map((s, n) => ({ ...s, layer: 0, value: n + 1 })), overlapping };
}
