import { labelColour } from '../../core/labels/labelColour.js';
import type { SegmentLabel } from './ModelSpec.js';

/** One row of a segmentation's segment table. */
export interface Segment {
  readonly value: number;
  readonly name: string;
  /** sRGB, 0–255. */
  readonly colour: readonly [number, number, number];
}

/** Gives every non-background label its colour (see {@link labelColour}). */
export function segmentColours(labels: readonly SegmentLabel[]): Segment[] {
  return labels.filter((l) => l.value !== 0).map((l) => ({ value: l.value, name: l.name, colour: labelColour(l.value) }));
}
