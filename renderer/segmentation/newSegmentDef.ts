import type { SegmentDef } from '../../core/contract.js';
import { labelColour } from '../../core/labels/labelColour.js';
import { SegmentationError } from './SegmentationError.js';
import type { Rgb } from './types.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { validSegment } from './validSegment.js';
import { nextSegmentValue } from './nextSegmentValue.js';

export interface NewSegmentDefParams {
  readonly segments: readonly SegmentDef[];
  /** Layer 0, read for label values in use that have no segment (so a new segment starts empty). */
  readonly layer0: LabelArray;
  readonly name?: string;
  readonly colour?: Rgb;
  /** The model that fills it: the segment is then AUTOMATIC rather than MANUAL. */
  readonly algorithmName?: string;
}

/**
 * A new, empty segment in layer 0 (hand-drawn, or a model's with `algorithmName`): the lowest label value ≥ 1
 * that neither a segment of layer 0 nor any voxel of it uses, named
 * "Segment N" and coloured as the views colour label `value` unless given (labelColour).
 * @throws SegmentationError NO_FREE_VALUE when all 65535 values are taken; INVALID_SEGMENT for a bad name or colour
 */
export function newSegmentDef(params: NewSegmentDefParams): SegmentDef {
  const value = nextSegmentValue(params.segments, params.layer0);
  if (value === null) throw new SegmentationError('NO_FREE_VALUE', 'layer 0 has no free label value');
  return validSegment({
    layer: 0,
    value,
    name: params.name ?? `Segment ${value}`,
    colour: params.colour ? [...params.colour] : labelColour(value),
    ...(params.algorithmName ? { algorithmType: 'AUTOMATIC', algorithmName: params.algorithmName } : { algorithmType: 'MANUAL' }),
    locked: false,
  });
}
