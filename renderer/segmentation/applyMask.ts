import type { CommandContext, CommandOutcome } from './CommandContext.js';
import { addNewSegment } from './addNewSegment.js';
import { findSegment } from './findSegment.js';
import { lockedValues } from './lockedValues.js';
import { RunBuilder } from './RunBuilder.js';
import { SegmentationError } from './SegmentationError.js';
import type { ApplyMaskCommand } from './types.js';

/**
 * Makes a proposed mask part of a segment, or of a new one it creates (the segment and its voxels one undo
 * step): its marked voxels get the segment's value unless a locked segment holds them; with mode 'replace'
 * the segment's voxels outside the mask are cleared as well. Written as one
 * bulk change (runs), so a whole-volume mask costs one pass. A locked
 * segment is left alone: returns null.
 * @throws SegmentationError SEGMENT_NOT_FOUND; LAYER_SIZE_MISMATCH for a mask of another size; INVALID_ARGUMENT for an unknown mode
 */
export function applyMask(ctx: CommandContext, command: ApplyMaskCommand): CommandOutcome | null {
  const { mask } = command;
  const size = ctx.layers[0]!.length;
  if (mask.length !== size) throw new SegmentationError('LAYER_SIZE_MISMATCH', `the mask has ${mask.length} voxels, the segmentation ${size}`);
  const mode = command.mode ?? 'add';
  if (mode !== 'add' && mode !== 'replace') throw new SegmentationError('INVALID_ARGUMENT', `mask mode ${String(mode)}`);
  const target = command.segment;
  const created = 'create' in target ? addNewSegment(ctx, target.create) : null;
  const segment = 'create' in target ? created!.def : ctx.segments[findSegment(ctx.segments, target)]!;
  if (segment.locked) return null;
  const layer = ctx.layers[segment.layer]!;
  const { value } = segment;
  const locked = lockedValues(ctx.segments, segment.layer);
  const replace = mode === 'replace';
  const runs = new RunBuilder();
  for (let n = 0; n < mask.length; n++) {
    const old = layer[n]!;
    if (mask[n] !== 0) {
      if (old !== value && locked[old] !== 1) runs.push(n, value);
    } else if (replace && old === value) runs.push(n, 0);
  }
  ctx.recorder.writer(segment.layer, layer).writeRuns(runs.toRuns());
  const unedited = command.automatic ? { unedited: true } : {};
  if (!created) return unedited;
  // The new segment and its voxels are one change: one undo takes both back.
  return { segments: Object.freeze([...ctx.segments, segment]), touched: [segment], layersReplaced: created.layersReplaced, ...unedited };
}
