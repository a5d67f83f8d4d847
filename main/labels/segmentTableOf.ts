import type { SegmentDef } from '../../core/contract.js';
import { countLabels } from './countLabels.js';
import { type Segment } from '../segmentation/segmentColours.js';
import { labelColour } from '../../core/labels/labelColour.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/** Who made a label map's segments, for DICOM SEG's algorithm type. */
export interface Provenance {
  readonly algorithmType: SegmentDef['algorithmType'];
  readonly algorithmName?: string;
}

/**
 * The segment table of a one-layer label map: the named segments (every one,
 * empty or not), plus any other value present as "Label N". Colours are
 * fixed per value (golden-angle hues), so label 5 looks the same in every mask.
 * @param counts `countLabels(labels)`, when the caller has it already (a pass over every voxel).
 */
export function segmentTableOf(
  labels: LabelArray,
  provenance: Provenance,
  named: readonly Segment[] = [],
  counts: Float64Array = countLabels(labels),
): SegmentDef[] {
  const byValue = new Map<number, Segment>(named.filter((s) => s.value !== 0).map((s) => [s.value, s]));
  for (let value = 1; value < counts.length; value++) {
    if (counts[value]! > 0 && !byValue.has(value)) byValue.set(value, { value, name: `Label ${value}`, colour: labelColour(value) });
  }
  return [...byValue.values()]
    .sort((a, b) => a.value - b.value)
    .map((s) => ({
      layer: 0,
      value: s.value,
      name: s.name.slice(0, 64) || `Label ${s.value}`,
      colour: [s.colour[0], s.colour[1], s.colour[2]],
      ...provenance,
      locked: false,
    }));
}
