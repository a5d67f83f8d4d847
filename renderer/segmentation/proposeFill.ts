import type { Axis } from '../../core/geometry/types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import { findSegment } from './findSegment.js';
import { lockedValues } from './lockedValues.js';
import { runFillBetweenSlices } from './runFillBetweenSlices.js';
import type { SegmentationStore } from './types.js';

/** What a fill proposed: voxels added and slices filled (0 voxels: nothing to fill, nothing proposed). */
export interface FillOutcome {
  readonly voxels: number;
  readonly filledSlices: number;
  readonly drawnSlices: number;
}

/**
 * Fills between the slices of a segment drawn across `axis` (in a worker)
 * and proposes the added voxels on the store's preview, unless nothing was
 * added. Locked segments' voxels are left out.
 * @throws SegmentationError SEGMENT_NOT_FOUND; Error when the fill fails
 */
export async function proposeFill(store: SegmentationStore, segment: SegmentKey, axis: Axis): Promise<FillOutcome> {
  const { segments, layers } = store.getSnapshot();
  const def = segments[findSegment(segments, segment)]!;
  const { dimensions, spacing } = store.grid;
  const labels = layers[def.layer]!;
  const result = await runFillBetweenSlices({ labels, value: def.value, dimensions, spacing, axis, locked: lockedValues(segments, def.layer) });
  if (result.voxels > 0) store.preview.propose({ segment, mask: result.mask, tool: 'Fill between slices' });
  return { voxels: result.voxels, filledSlices: result.filledSlices, drawnSlices: result.drawnSlices.length };
}
