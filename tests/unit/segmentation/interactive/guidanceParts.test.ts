import { describe, expect, it } from 'vitest';
import { roiAroundClicks } from '../../../../main/segmentation/interactive/clickRoi.js';
import { clicksOnNetworkGrid } from '../../../../main/segmentation/interactive/clicksOnNetworkGrid.js';
import { erf, gaussianKernel1d } from '../../../../main/segmentation/interactive/gaussianKernel1d.js';
import { guidanceSignal } from '../../../../main/segmentation/interactive/guidanceSignal.js';
import { labelsFromLogits } from '../../../../main/segmentation/interactive/labelsFromLogits.js';
import { resizeArea } from '../../../../main/segmentation/interactive/resizeArea.js';
import { orientationMapping } from '../../../../main/segmentation/pipeline/orientationMapping.js';

describe('DeepEdit guidance parts', () => {
  it('erf to double precision (values from mpmath)', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 15);
    // The series loses a few digits to cancellation near 3: still 1e-13, far below float32's 6e-8.
    expect(erf(2.9)).toBeCloseTo(0.9999589021219005, 13);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 15);
  });

  it("MONAI's erf kernel for sigma 3: 25 taps, symmetric, summing to erf(12.5 t), t = 0.70710678 / 3", () => {
    const k = gaussianKernel1d(3);
    expect(k.length).toBe(25);
    expect(k[12]).toBeCloseTo(erf(0.5 * (0.70710678 / 3)), 15);
    expect(k[0]).toBeCloseTo(k[24]!, 15);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(erf(12.5 * (0.70710678 / 3)), 9);
  });

  it('skips a point with a negative coordinate, clamps one past the grid, counts a repeated voxel once', () => {
    const dims = [20, 20, 20] as const;
    expect(guidanceSignal([[-1, 5, 5]], dims, 3).every((v) => v === 0)).toBe(true);
    const clamped = guidanceSignal([[25.7, 5.9, 5]], dims, 3);
    expect(clamped[(19 * 20 + 5) * 20 + 5]).toBe(1);
    const once = guidanceSignal([[5, 5, 5]], dims, 3);
    const twice = guidanceSignal(
      [
        [5, 5, 5],
        [5.4, 5.2, 5.9],
      ],
      dims,
      3,
    );
    expect(twice).toEqual(once);
    expect(once.reduce((m, v) => Math.min(m, v), 1)).toBe(0);
  });

  it("resizes as torch's area mode: 4 → 2 averages pairs, 2 → 3 reads bins [0,1), [0,2), [1,2)", () => {
    const down = resizeArea(Float32Array.from([1, 3, 5, 7]), [4, 1, 1], [2, 1, 1]);
    expect(Array.from(down)).toEqual([2, 6]);
    const up = resizeArea(Float32Array.from([2, 4]), [2, 1, 1], [3, 1, 1]);
    expect(Array.from(up)).toEqual([2, 3, 4]);
    const k = resizeArea(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2], [1, 1, 1]);
    expect(Array.from(k)).toEqual([4.5]);
  });

  it('moves a click through a flipping and permuting Orientationd, then truncates the resize', () => {
    // i → S, j → L, k → P: RAS order is (k flipped... ) as orientationMapping says.
    const mapping = orientationMapping(
      [10, 20, 30],
      [
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0],
      ],
      'RAS',
    );
    const [p] = clicksOnNetworkGrid({ voxels: [[1, 2, 3]], orientation: mapping, dimensions: mapping.orientedDimensions, size: null });
    // R is source j read backwards (j → L), A is source k read backwards (k → P), S is source i.
    expect(p).toEqual([17, 26, 1]);
    const [q] = clicksOnNetworkGrid({ voxels: [[9, 19, 29]], orientation: mapping, dimensions: mapping.orientedDimensions, size: [7, 7, 7] });
    expect(q).toEqual([0, 0, 6]);
  });

  it('centres a 128-voxel ROI on the clicks inside the scan, growing it to hold spread clicks', () => {
    expect(roiAroundClicks([[100, 100, 10]], [300, 300, 40])).toEqual({ start: [37, 37, 0], end: [165, 165, 40] });
    expect(roiAroundClicks([[290, 5, 5]], [300, 300, 300])).toEqual({ start: [172, 0, 0], end: [300, 128, 128] });
    const wide = roiAroundClicks(
      [
        [10, 10, 10],
        [250, 10, 10],
      ],
      [300, 300, 300],
    );
    expect(wide.end[0] - wide.start[0]).toBe(300);
  });

  it('takes the two-channel shortcut to the same labels as the per-channel argmax', () => {
    const size = [8, 8, 8] as const;
    const n = 512;
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 8 - 4;
    const two = Float32Array.from({ length: 2 * n }, random);
    // A third channel far below the others never wins, so the general path sees the same pair.
    const three = new Float32Array(3 * n).fill(-50);
    three.set(two);
    for (const nearest of [false, true]) {
      const params = { size, dimensions: [13, 11, 6] as const, activation: 'softmax' as const, nearest };
      const fast = labelsFromLogits({ ...params, logits: two, channels: 2 });
      const general = labelsFromLogits({ ...params, logits: three, channels: 3 });
      expect(Array.from(fast)).toEqual(Array.from(general));
      expect(fast.some((v) => v === 1) && fast.some((v) => v === 0)).toBe(true);
    }
  });
});
