import { describe, expect, it } from 'vitest';
import type { LeaderPlane } from '../../../../main/segmentation/inference/LeaderPlane.js';
import { sureCells } from '../../../../main/segmentation/inference/sureCells.js';

/** A plane of `sure` leaders only (the inverter's cells read nothing else). */
const planeOf = (sure: number[]): LeaderPlane => ({
  slots: 1,
  count: new Uint8Array(sure.length),
  ids: new Uint16Array(sure.length),
  probabilities: new Float32Array(sure.length),
  sure: Int32Array.from(sure),
});

describe('sureCells: the sure leader an interpolation cell’s four in-plane taps share', () => {
  it('is the leader where all four taps have it, −1 where one differs or has none, and −1 past the last full row', () => {
    // 3 wide, 4 rows
    const plane = planeOf([5, 5, -1, 5, 5, 5, 5, 5, 5, 7, 5, 5]);
    expect(Array.from(sureCells(plane, 3))).toEqual([
      // n=0: taps 0,1,3,4 all 5; n=1: tap 2 is none; n=2: tap 2 is none
      5, -1, -1,
      // n=3: 3,4,6,7; n=4: 4,5,7,8; n=5: 5, 6 (the next row's first, as the cell wraps), 8, 9 (7): differs
      5, 5, -1,
      // n=6: tap 9 is 7; n=7: 7,8,10,11 all 5; n=8: n + 4 = 12 is past the plane
      -1, 5, -1, -1, -1, -1,
    ]);
  });

  it('takes a cell that wraps to the next row when every tap shares the leader (its wrapped taps weigh 0 in the blend)', () => {
    const plane = planeOf([2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(Array.from(sureCells(plane, 3))).toEqual([2, 2, 2, 2, 2, -1, -1, -1, -1]);
  });

  it('reuses the cells array it is given, overwriting what it held', () => {
    const cells = new Int32Array(9).fill(9);
    expect(sureCells(planeOf([1, 1, 0, 1, 1, 0, 0, 0, 0]), 3, cells)).toBe(cells);
    expect(Array.from(cells)).toEqual([1, -1, -1, -1, -1, -1, -1, -1, -1]);
  });
});
