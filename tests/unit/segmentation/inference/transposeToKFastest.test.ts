import { describe, expect, it } from 'vitest';
import { transposeToKFastest } from '../../../../main/segmentation/inference/transposeToKFastest.js';

describe('transposeToKFastest', () => {
  it.each([[[37, 5, 3]], [[64, 2, 7]], [[1, 1, 9]]] as const)('puts voxel (i, j, k) of an i-fastest %j image at (i·nj + j)·nk + k', (dimensions) => {
    const [ni, nj, nk] = dimensions;
    const data = Float32Array.from({ length: ni * nj * nk }, (_, n) => n + 0.5);
    const out = transposeToKFastest(data, dimensions);
    const misplaced: number[] = [];
    for (let k = 0; k < nk; k++) {
      for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++) if (out[(i * nj + j) * nk + k] !== data[i + ni * (j + nj * k)]) misplaced.push(i);
    }
    expect(misplaced).toEqual([]);
    expect(out.length).toBe(data.length);
  });
});
