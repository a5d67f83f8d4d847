import { leaderReach } from './leaderStore.js';
import { LeadersOverflow } from './LeadersOverflow.js';
import { locateNotFinite } from './locateNotFinite.js';
import { packWindowLeaders } from './packWindowLeaders.js';
import type { SweptBatch } from './slidingWindowInference.js';
import { topLeaders, type TopLeaders } from './topLeaders.js';
import { windowLeaders, type WindowLeaders } from './windowLeaders.js';

/**
 * One batch's output, [count, channels, size] values, or its leaders tail (finite sums only: see topLeaders), as each
 * patch's leaders (windowLeaders or topLeaders with the leaders store's reach, listed into `room`, made for `size` voxels
 * and the store's slots), each packed in a buffer of its own (packWindowLeaders); or why it cannot be listed, which is
 * all the caller needs to raise its error: more classes within reach than the store keeps, where a value is not
 * finite, or the output's size when it is wrong.
 */
export function sweepLeaders(output: Float32Array | TopLeaders, count: number, channels: number, size: number, room: WindowLeaders): SweptBatch {
  const whole = output instanceof Float32Array;
  const values = whole ? output.length : output.values.length;
  if (values !== count * size * (whole ? channels : output.k)) return { refused: { kind: 'size', values } };
  const lists: WindowLeaders[] = [];
  for (let n = 0; n < count; n++) {
    try {
      if (!whole) topLeaders(output, n, size, leaderReach, room);
      else if (windowLeaders(output.subarray(n * channels * size), channels, size, leaderReach, room) !== 0) {
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
