import type { Vec3 } from '../../core/geometry/types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import { regionFromClick, type RegionRule } from '../../core/segmentation/regionFromClick.js';
import { findSegment } from './findSegment.js';
import { lockedValues } from './lockedValues.js';
import { SegmentationError } from './SegmentationError.js';
import type { SegmentationStore } from './types.js';

/** What a region proposal found: its voxels, the value interval, and whether it reached the size limit. */
export interface RegionOutcome {
  readonly voxels: number;
  readonly min: number;
  readonly max: number;
  readonly truncated: boolean;
}

/**
 * A region larger than this is cut off: a liver at 0.8 × 0.8 × 1.5 mm is
 * about 1.6 M voxels, and a leak into the body stops at about half a second.
 */
const maxVoxels = 2_000_000;

/**
 * Grows a region from a clicked voxel over the scan's values (not through
 * locked segments) and proposes it for the segment on the store's preview;
 * an empty result (a click on a locked voxel) withdraws the proposal.
 * @throws SegmentationError NO_SCAN_VALUES when the store has no scan values; SEGMENT_NOT_FOUND
 */
export function proposeRegion(store: SegmentationStore, segment: SegmentKey, seed: Vec3, rule: RegionRule): RegionOutcome {
  const valueAt = store.scanValue;
  if (!valueAt) throw new SegmentationError('NO_SCAN_VALUES', 'region growing needs the scan values (init.scanValue)');
  const { segments, layers } = store.getSnapshot();
  const def = segments[findSegment(segments, segment)]!;
  const labels = layers[def.layer]!;
  const locked = lockedValues(segments, def.layer);
  const blocked = (n: number): boolean => locked[labels[n]!] === 1;
  const result = regionFromClick({ valueAt, dimensions: store.grid.dimensions, seed, rule, maxVoxels, blocked });
  store.preview.propose(result.mask ? { segment, mask: result.mask, tool: 'Region from a click' } : null);
  return { voxels: result.voxels, min: result.min, max: result.max, truncated: result.truncated };
}
