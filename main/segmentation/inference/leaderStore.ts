import { createLeaderSums, type LeaderSums } from './leaderSums.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import type { LeaderPlane } from './LeaderPlane.js';
import { createWindowLeaders, type WindowLeaders } from './windowLeaders.js';

/**
 * The leaders store: classes kept per voxel, and how far below a window's best a class is still listed. A reach
 * of 50 against softmax's cut of 30 leaves windows 20 logits of disagreement before a voxel is undecided; the
 * whole-body bench's network has at most 8 classes within 50 of its best.
 */
export const leaderSlots = 8;
export const leaderReach = 50;

/**
 * The leaders store (see leaderSums) for slidingWindowInference, the room for one window's leaders, and the finisher
 * that hands each finished plane to `onLeaders`.
 * @throws RangeError unless the activation is softmax and onLeaders is given.
 */
export function leaderStore(
  params: {
    readonly activation: 'softmax' | 'sigmoid' | 'none';
    readonly onLeaders?: (k: number, plane: LeaderPlane) => void;
    readonly dimensions: Vec3;
    readonly channels: number;
  },
  padded: readonly [number, number, number],
  padBefore: readonly [number, number, number],
  roi: readonly [number, number, number],
): { sums: LeaderSums; lists: WindowLeaders; finisher: { finishBefore(limit: number): void } } {
  const { onLeaders } = params;
  if (params.activation !== 'softmax' || !onLeaders) throw new RangeError('the leaders store serves softmax, with onLeaders');
  const [ni, nj, nk] = params.dimensions;
  const roiK = roi[2];
  const sums = createLeaderSums({
    channels: params.channels,
    padded: [padded[0], padded[1]],
    padBefore: [padBefore[0], padBefore[1]],
    image: [ni, nj],
    roiK,
    slots: leaderSlots,
    reach: leaderReach,
  });
  let next = 0;
  const finisher = {
    finishBefore(limit: number): void {
      // One plane at a time: each finished plane is new memory until the inverter drops it (3.6 MB at 273×273, 8 slots).
      for (; next < limit; next++) {
        const k = next - padBefore[2];
        // A plane of padding is cleared unfinished: an undecided voxel there would send the run to dense sums for nothing.
        if (k >= 0 && k < nk) onLeaders(k, sums.finish(next % roiK, 1)[0]!);
        else sums.clear(next % roiK, 1);
      }
    },
  };
  return { sums, lists: createWindowLeaders(roi[0] * roi[1] * roi[2], leaderSlots), finisher };
}
