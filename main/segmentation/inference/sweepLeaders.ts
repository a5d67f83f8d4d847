import { leaderReach, leaderSlots } from './leaderStore.js';
import { LeadersOverflow } from './LeadersOverflow.js';
import { packWindowLeaders } from './packWindowLeaders.js';
import { createWindowLeaders, windowLeaders, type WindowLeaders } from './windowLeaders.js';

/** The room the sweep lists each patch into, kept between calls. */
let room: WindowLeaders | undefined;

/**
 * One batch's output, [count, channels, size] values, as each patch's leaders (windowLeaders with the leaders store's
 * reach and slots), each packed in a buffer of its own (packWindowLeaders); undefined where they cannot be made: a
 * value not finite, more classes within reach than the store keeps, or an output of the wrong size. The caller's
 * blending of such an output raises the error that says which.
 */
export function sweepLeaders(output: Float32Array, count: number, channels: number, size: number): WindowLeaders[] | undefined {
  if (output.length !== count * channels * size) return undefined;
  if (room?.count.length !== size) room = createWindowLeaders(size, leaderSlots);
  const lists: WindowLeaders[] = [];
  for (let n = 0; n < count; n++) {
    try {
      if (windowLeaders(output.subarray(n * channels * size), channels, size, leaderReach, room) !== 0) return undefined;
    } catch (error) {
      if (error instanceof LeadersOverflow) return undefined;
      throw error;
    }
    lists.push(packWindowLeaders(room, size));
  }
  return lists;
}
