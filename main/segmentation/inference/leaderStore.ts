import { createLeaderSums, type LeaderSums } from './leaderSums.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import { createLeaderPlane, type LeaderPlane } from './LeaderPlane.js';
import { createWindowLeaders, type WindowLeaders } from './windowLeaders.js';

/**
 * The leaders store: classes kept per voxel, and how far below a window's best a class is still listed. A reach
 * of 50 against softmax's cut of 30 leaves windows 20 logits of disagreement before a voxel is undecided; the
 * whole-body bench's network has at most 8 classes within 50 of its best.
 */
export const leaderSlots = 8;
export const leaderReach = 50;
/** Planes finished together: 8 × 3.9 MB at 273×273 (with each plane's sure leaders), plus the inverter's two. */
const finishBlock = 8;

/**
 * The leaders store (see leaderSums) for slidingWindowInference, the room for one window's leaders, and the finisher
 * that hands each finished plane to `onLeaders`, whose plane k is valid until it has been handed plane k + 2.
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
  // The finished planes, made once and used again: the inverter holds a plane until it is handed the one two after it,
  // and a block of planes is finished at once, so a ring of a block and two more never gives out one still held. New
  // planes each block (3.9 MB each at 273×273, 8 slots) were 284 MB of fresh memory at each k start at 105 classes.
  const ring: LeaderPlane[] = [];
  let made = 0;
  const nextPlanes = (count: number): LeaderPlane[] =>
    Array.from({ length: count }, () => {
      const at = made++ % (finishBlock + 2);
      const plane = ring[at];
      if (!plane) return (ring[at] = createLeaderPlane(ni * nj, leaderSlots));
      // Slots past a voxel's count keep what the plane held before: cleared, so that a plane is the same made again.
      plane.ids.fill(0);
      plane.probabilities.fill(0);
      return plane;
    });
  let next = 0;
  const finisher = {
    finishBefore(limit: number): void {
      while (next < limit) {
        const k = next - padBefore[2];
        const slot = next % roiK;
        if (k < 0 || k >= nk) {
          // A plane of padding is cleared unfinished: an undecided voxel there would send the run to dense sums for nothing.
          sums.clear(slot, 1);
          next++;
          continue;
        }
        // A few planes at a time (leaderSums reads their slots side by side).
        const count = Math.min(finishBlock, limit - next, roiK - slot, nk - k);
        const planes = nextPlanes(count);
        sums.finish(slot, planes);
        planes.forEach((plane, b) => onLeaders(k + b, plane));
        next += count;
      }
    },
  };
  let lists: WindowLeaders | undefined;
  return {
    sums,
    // Made at first use: a run whose runner sweeps the outputs elsewhere never lists one here (50 MB at 96³).
    get lists() {
      return (lists ??= createWindowLeaders(roi[0] * roi[1] * roi[2], leaderSlots));
    },
    finisher,
  };
}
