import { leaderReach } from './leaderStore.js';
import { LeadersOverflow } from './LeadersOverflow.js';
import { locateNotFinite } from './locateNotFinite.js';
import { packWindowLeaders } from './packWindowLeaders.js';
import type { SweptBatch } from './slidingWindowInference.js';
import { windowLeaders, type WindowLeaders } from './windowLeaders.js';

/**
 * One batch's output, [count, channels, size] values, as each patch's leaders (windowLeaders with the leaders store's
 * reach, listed into `room`, made for `size` voxels and the store's slots), each packed in a buffer of its own
 * (packWindowLeaders); or why it cannot be listed, which is all the caller needs to raise its error: more classes
 * within reach than the store keeps, where a value is not finite, or the output's size when it is wrong.
 */
export function sweepLeaders(output: Float32Array, count: number, channels: number, size: number, room: WindowLeaders): SweptBatch {
  if (output.length !== count * channels * size) return { refused: { kind: 'size', values: output.length } };
  const lists: WindowLeaders[] = [];
  for (let n = 0; n < count; n++) {
    try {
      if (windowLeaders(output.subarray(n * channels * size), channels, size, leaderReach, room) !== 0) {
        return { refused: { kind: 'notFinite', spot: locateNotFinite(output, channels, size)! } };
      }
    } catch (error) {
      if (error instanceof LeadersOverflow) return { refused: { kind: 'slots' } };
      throw error;
    }
    lists.push(packWindowLeaders(room, size));
  }
  return { lists };
}
