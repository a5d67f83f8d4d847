import type { CommandContext } from './CommandContext.js';
import { encodeRuns } from './encodeRuns.js';
import { findHoles } from './findHoles.js';
import { findIslands } from './findIslands.js';
import { findSegment } from './findSegment.js';
import { lockedValues } from './lockedValues.js';
import { SegmentationError } from './SegmentationError.js';
import type { SegmentationCommand } from './types.js';

/** The commands that clean a segment up. */
export type CleanupCommand = Extract<SegmentationCommand, { type: 'fillHoles' | 'removeIslands' | 'keepLargest' }>;

/**
 * Fills a segment's holes (over other unlocked segments' voxels too), or
 * clears its small or non-largest 26-connected components. Returns false for
 * a locked segment (left alone), else true (the recorder has any changes).
 * @throws SegmentationError SEGMENT_NOT_FOUND; INVALID_ARGUMENT for a bad plane axis or minVoxels
 */
export function applyCleanup(ctx: CommandContext, command: CleanupCommand): boolean {
  const segment = ctx.segments[findSegment(ctx.segments, command.segment)]!;
  if (segment.locked) return false;
  const writer = ctx.recorder.writer(segment.layer, ctx.layers[segment.layer]!);
  const { array: layer } = writer;
  const { value } = segment;
  const dimensions = ctx.grid.dimensions;
  let voxels: Uint32Array;
  let newValue = 0;
  if (command.type === 'fillHoles') {
    const { planeAxis } = command;
    if (planeAxis !== undefined && planeAxis !== 0 && planeAxis !== 1 && planeAxis !== 2) {
      throw new SegmentationError('INVALID_ARGUMENT', `plane axis ${String(planeAxis)}`);
    }
    voxels = findHoles({ layer, dimensions, value, lockedValues: lockedValues(ctx.segments, segment.layer), planeAxis });
    newValue = value;
  } else if (command.type === 'removeIslands') {
    if (!(command.minVoxels >= 0)) throw new SegmentationError('INVALID_ARGUMENT', `minVoxels ${command.minVoxels}`);
    voxels = findIslands({ layer, dimensions, value, keep: { minVoxels: command.minVoxels } });
  } else {
    voxels = findIslands({ layer, dimensions, value, keep: 'largest' });
  }
  writer.writeRuns(encodeRuns(voxels, newValue));
  return true;
}
