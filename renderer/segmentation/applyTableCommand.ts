import type { SegmentDef } from '../../core/contract.js';
import type { CommandContext, CommandOutcome } from './CommandContext.js';
import { findSegment } from './findSegment.js';
import { addNewSegment } from './addNewSegment.js';
import { RunBuilder } from './RunBuilder.js';
import type { SegmentationCommand } from './types.js';
import { validSegment } from './validSegment.js';

/** The commands that change the segment table. */
export type TableCommand = Extract<SegmentationCommand, { type: 'addSegment' | 'renameSegment' | 'recolourSegment' | 'lockSegment' | 'deleteSegment' }>;

/**
 * Adds, renames, recolours, locks/unlocks or deletes a segment. Deleting
 * also clears its voxels (one full pass over its layer); a locked segment is
 * not deleted (null). Setting what is already set is no change (null).
 * @throws SegmentationError SEGMENT_NOT_FOUND, INVALID_SEGMENT, NO_FREE_VALUE
 */
export function applyTableCommand(ctx: CommandContext, command: TableCommand): CommandOutcome | null {
  const { segments } = ctx;
  if (command.type === 'addSegment') return addSegment(ctx, command);
  const index = findSegment(segments, command.segment);
  const segment = segments[index]!;
  switch (command.type) {
    case 'renameSegment':
      return segment.name === command.name ? null : replaced(segments, index, { ...segment, name: command.name });
    case 'recolourSegment':
      return segment.colour.every((c, k) => c === command.colour[k]) ? null : replaced(segments, index, { ...segment, colour: [...command.colour] });
    case 'lockSegment':
      return segment.locked === command.locked ? null : replaced(segments, index, { ...segment, locked: command.locked });
    case 'deleteSegment':
      return deleteSegment(ctx, index);
  }
}

function addSegment(ctx: CommandContext, command: Extract<TableCommand, { type: 'addSegment' }>): CommandOutcome {
  const { def, layersReplaced } = addNewSegment(ctx, command);
  // A model's new segment is not an edit by hand: it stays AUTOMATIC.
  return { segments: Object.freeze([...ctx.segments, def]), touched: [def], layersReplaced, unedited: def.algorithmType === 'AUTOMATIC' };
}

function replaced(segments: readonly SegmentDef[], index: number, def: SegmentDef): CommandOutcome {
  const next = validSegment(def);
  const table = [...segments];
  table[index] = next;
  return { segments: Object.freeze(table), touched: [next] };
}

function deleteSegment(ctx: CommandContext, index: number): CommandOutcome | null {
  const segment = ctx.segments[index]!;
  if (segment.locked) return null;
  const writer = ctx.recorder.writer(segment.layer, ctx.layers[segment.layer]!);
  const { array } = writer;
  const value = segment.value;
  const cleared = new RunBuilder();
  for (let n = 0; n < array.length; n++) if (array[n] === value) cleared.push(n, 0);
  writer.writeRuns(cleared.toRuns());
  return { segments: Object.freeze(ctx.segments.filter((_, k) => k !== index)), touched: [segment] };
}
