import type { SegmentDef } from '../../core/contract.js';
import { SegmentationError } from './SegmentationError.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';

/**
 * The table index of a segment.
 * @throws SegmentationError SEGMENT_NOT_FOUND when the table has no such segment
 */
export function findSegment(segments: readonly SegmentDef[], key: SegmentKey): number {
  const index = segments.findIndex((s) => s.layer === key.layer && s.value === key.value);
  if (index < 0) throw new SegmentationError('SEGMENT_NOT_FOUND', `no segment with value ${key.value} in layer ${key.layer}`);
  return index;
}
