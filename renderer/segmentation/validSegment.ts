import { segmentSchema, type SegmentDef } from '../../core/contract.js';
import { SegmentationError } from './SegmentationError.js';

/**
 * The definition, checked against the contract's schema and frozen.
 * @throws SegmentationError INVALID_SEGMENT naming the first problem
 */
export function validSegment(def: SegmentDef): SegmentDef {
  const parsed = segmentSchema.safeParse(def);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SegmentationError('INVALID_SEGMENT', `${issue?.path.join('.') ?? 'segment'}: ${issue?.message ?? 'invalid'}`);
  }
  return Object.freeze({ ...parsed.data, colour: Object.freeze([...parsed.data.colour]) }) as SegmentDef;
}
