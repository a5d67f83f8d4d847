import type { SegmentDef } from '../../core/contract.js';
import type { CommandContext } from './CommandContext.js';
import { newSegmentDef } from './newSegmentDef.js';
import { SegmentationError } from './SegmentationError.js';
import { labelBytesOverBudget } from '../../core/labels/labelBytesOverBudget.js';
import type { NewSegmentRequest } from './NewSegmentRequest.js';

/**
 * A new segment for a command to add (see newSegmentDef), with layer 0 widened to 16 bits in the context when
 * its value needs them.
 * @throws SegmentationError NO_FREE_VALUE (also where widening would pass the label budget), INVALID_SEGMENT
 */
export function addNewSegment(ctx: CommandContext, request: NewSegmentRequest): { def: SegmentDef; layersReplaced: boolean } {
  const layer0 = ctx.layers[0]!;
  const def = newSegmentDef({ segments: ctx.segments, layer0, name: request.name, colour: request.colour, algorithmName: request.algorithmName });
  if (def.value <= 0xff || !(layer0 instanceof Uint8Array)) return { def, layersReplaced: false };
  const bytes = ctx.layers.reduce((sum, l) => sum + l.BYTES_PER_ELEMENT, 0);
  const over = labelBytesOverBudget(bytes, bytes + 1);
  if (over !== null) throw new SegmentationError('NO_FREE_VALUE', `segment ${def.value} needs 16-bit labels, but ${over}`);
  const wide = new Uint16Array(layer0.length);
  wide.set(layer0);
  ctx.layers[0] = wide;
  return { def, layersReplaced: true };
}
