import type { SegmentDef } from '../../core/contract.js';
import type { CommandContext, CommandOutcome } from './CommandContext.js';
import { RunBuilder } from './RunBuilder.js';
import { SegmentationError } from './SegmentationError.js';
import type { AppendSegmentsCommand } from './types.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { validSegment } from './validSegment.js';
import { labelBytesOverBudget } from '../../core/labels/labelBytesOverBudget.js';

/** The contract's limit on label layers (segmentSchema's layer ≤ 63). */
const maxLayers = 64;

/** One source layer's part of the append: its runs with the new values, and its new segments. */
interface LayerPlan {
  readonly runs: Uint32Array;
  readonly wide: boolean;
  readonly segments: readonly SegmentDef[];
}

/**
 * Appends another segmentation (a model's result) to the store's: each of
 * its layers that holds any named voxel becomes a new layer after the
 * existing ones, and its segments get label values after the largest value
 * any segment uses now, in their own order (so segment numbers stay unique
 * across the segmentation, as a one-label-per-voxel export needs). A new
 * layer, not layer 0, so that no voxel of the existing segments changes
 * where the two overlap. Everything is checked before anything changes.
 * @throws SegmentationError LAYER_SIZE_MISMATCH, NO_FREE_VALUE (past 65535), INVALID_ARGUMENT (past 64 layers, or past the label
 *   budget, labelBytesOverBudget, which main holds each edit to), INVALID_SEGMENT
 */
export function applyAppend(ctx: CommandContext, command: AppendSegmentsCommand): CommandOutcome | null {
  const voxels = ctx.layers[0]!.length;
  const bad = command.layers.findIndex((l) => l.length !== voxels);
  if (bad >= 0)
    throw new SegmentationError('LAYER_SIZE_MISMATCH', `appended layer ${bad} has ${command.layers[bad]!.length} voxels, the segmentation ${voxels}`);
  let next = ctx.segments.reduce((max, s) => Math.max(max, s.value), 0);
  const plans: LayerPlan[] = [];
  command.layers.forEach((source, sourceLayer) => {
    const named = command.segments.filter((s) => s.layer === sourceLayer).sort((a, b) => a.value - b.value);
    if (named.length === 0) return;
    if (next + named.length > 0xffff) throw new SegmentationError('NO_FREE_VALUE', `${named.length} more segments would need label values past 65535`);
    const renumber = new Uint16Array(0x10000);
    const layer = ctx.layers.length + plans.length;
    const segments = named.map((s) => {
      renumber[s.value] = ++next;
      return validSegment({ ...s, layer, value: next });
    });
    const runs = renumberedRuns(source, renumber);
    if (runs.length > 0) plans.push({ runs, wide: next > 0xff, segments });
  });
  if (plans.length === 0) return null;
  if (ctx.layers.length + plans.length > maxLayers) throw new SegmentationError('INVALID_ARGUMENT', `a segmentation holds at most ${maxLayers} label layers`);
  const bytes = ctx.layers.reduce((sum, l) => sum + l.BYTES_PER_ELEMENT, 0);
  const over = labelBytesOverBudget(
    bytes,
    plans.reduce((sum, p) => sum + (p.wide ? 2 : 1), bytes),
  );
  if (over !== null) throw new SegmentationError('INVALID_ARGUMENT', over);
  for (const plan of plans) {
    const array: LabelArray = plan.wide ? new Uint16Array(voxels) : new Uint8Array(voxels);
    ctx.layers.push(array);
    ctx.recorder.writer(ctx.layers.length - 1, array).writeRuns(plan.runs);
  }
  const added = plans.flatMap((p) => p.segments);
  return { segments: Object.freeze([...ctx.segments, ...added]), touched: added, layersReplaced: true, unedited: true };
}

/** Runs of the source's named voxels with their new values (voxels of unnamed values are left out). */
function renumberedRuns(source: LabelArray, renumber: Uint16Array): Uint32Array {
  const runs = new RunBuilder();
  for (let n = 0; n < source.length; n++) {
    const value = renumber[source[n]!]!;
    if (value !== 0) runs.push(n, value);
  }
  return runs.toRuns();
}
