import type { SegmentDef } from '../../core/contract.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { assertLabelsOnGrid } from '../labels/assertLabelsOnGrid.js';
import { segmentTableOf, type Provenance } from '../labels/segmentTableOf.js';
import { toLabelArray } from '../labels/toLabelArray.js';
import type { InferenceResult, PlainVolume } from '../segmentation/process/inferenceMessages.js';
import type { Segment } from '../segmentation/segmentColours.js';
import type { Volume } from '../volume/Volume.js';

/** A segmentation's label layers, as the contract's segment table numbers them (0–63). */
const maxLayers = 64;

/**
 * A model's result as a segmentation's layers and segment table. A multi-label model's regions overlap, so each
 * is a layer of its own (its merged label map would hide the overlaps); later layers are drawn over earlier ones,
 * so the largest region goes first and a region nested in it stays in sight.
 * @throws AxialError SEGMENTATION_GRID_MISMATCH when a layer is not on the volume's grid; MASK_NOT_LABELS for non-label voxels
 */
export function resultLayers(result: InferenceResult, volume: Volume, provenance: Provenance): { layers: LabelArray[]; segments: SegmentDef[] } {
  const parts = result.layers && result.layers.length <= maxLayers ? [...result.layers].sort((a, b) => voxelsOn(b.labels) - voxelsOn(a.labels)) : [result];
  const layers = parts.map((part) => {
    assertLabelsOnGrid(part.labels, volume);
    return toLabelArray(part.labels.voxels, { name: 'the model output' });
  });
  const segments = parts.flatMap((part, layer) => segmentTableOf(layers[layer]!, provenance, part.segments as Segment[]).map((s) => ({ ...s, layer })));
  return { layers, segments };
}

function voxelsOn(labels: PlainVolume): number {
  let on = 0;
  for (const v of labels.voxels) if (v !== 0) on++;
  return on;
}
