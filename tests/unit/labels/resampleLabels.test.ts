import { AxialError } from '../../../main/errors/AxialError.js';
import { describe, expect, it } from 'vitest';
import { isSameGrid, resampleLabels, type Grid } from '../../../main/labels/resampleLabels.js';

const identity: Grid['direction'] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const grid = (dimensions: Grid['dimensions'], spacing: Grid['spacing'], origin: Grid['origin'], direction = identity): Grid => ({
  dimensions,
  spacing,
  origin,
  direction,
});

/** Labels 1 + i + 4j + 16k on a 4×4×4 grid, so that every voxel is told apart. */
const ramp = Uint8Array.from({ length: 64 }, (_, n) => n + 1);

describe('isSameGrid', () => {
  const a = grid([4, 4, 4], [1, 1, 1], [0, 0, 0]);
  it('accepts voxel centres within 1e-3 mm and refuses anything further', () => {
    expect(isSameGrid(a, grid([4, 4, 4], [1, 1, 1], [0.0005, 0, 0]))).toBe(true);
    expect(isSameGrid(a, grid([4, 4, 4], [1, 1, 1], [0.002, 0, 0]))).toBe(false);
    expect(isSameGrid(a, grid([4, 4, 4], [1.001, 1, 1], [0, 0, 0]))).toBe(false);
    expect(isSameGrid(a, grid([4, 4, 5], [1, 1, 1], [0, 0, 0]))).toBe(false);
  });
});

describe('resampleLabels', () => {
  const target = grid([4, 4, 4], [1, 1, 1], [0, 0, 0]);

  it('uses the same grid as it is (the very array)', () => {
    const placed = resampleLabels({ grid: target, labels: ramp }, target);
    expect(placed).toEqual({ labels: ramp, relation: 'same', coverage: 1 });
    expect(placed.labels).toBe(ramp);
  });

  it('reorders a flipped, permuted grid over the same voxel centres exactly', () => {
    // Source index (p, q, r) = target (k, 3 - j, i): its axes are target k, -j, i.
    const source = grid(
      [4, 4, 4],
      [1, 1, 1],
      [0, 3, 0],
      [
        [0, 0, 1],
        [0, -1, 0],
        [1, 0, 0],
      ],
    );
    const placed = resampleLabels({ grid: source, labels: ramp }, target);
    expect(placed.relation).toBe('reordered');
    for (let k = 0; k < 4; k++) {
      for (let j = 0; j < 4; j++) {
        for (let i = 0; i < 4; i++) expect(placed.labels[i + 4 * (j + 4 * k)]).toBe(ramp[k + 4 * (3 - j + 4 * i)]);
      }
    }
  });

  it('resamples a half-voxel-shifted, doubled grid by rounding to the nearest source voxel, 0 outside', () => {
    const source = grid([2, 2, 2], [2, 2, 2], [0.5, 0.5, 0.5]);
    const labels = Uint16Array.from([300, 301, 302, 303, 304, 305, 306, 307]);
    const placed = resampleLabels({ grid: source, labels }, target);
    expect(placed.relation).toBe('resampled');
    expect(placed.labels).toBeInstanceOf(Uint16Array);
    // Target x = i maps to source p = (i - 0.5) / 2, rounded half up: i 0,1,2 → 0, 0, 1; i 3 → 1.
    const p = [0, 0, 1, 1];
    for (let k = 0; k < 4; k++) {
      for (let j = 0; j < 4; j++) {
        for (let i = 0; i < 4; i++) expect(placed.labels[i + 4 * (j + 4 * k)]).toBe(labels[p[i]! + 2 * (p[j]! + 2 * p[k]!)]);
      }
    }
    const partial = resampleLabels({ grid: grid([4, 4, 2], [1, 1, 1], [0, 0, 2]), labels: ramp.subarray(0, 32) }, target);
    expect(partial.coverage).toBe(0.5);
    expect([...partial.labels.subarray(0, 32)].every((v) => v === 0)).toBe(true);
    expect([...partial.labels.subarray(32)]).toEqual([...ramp.subarray(0, 32)]);
  });

  it('refuses a grid no target voxel centre falls in', () => {
    const far = grid([4, 4, 4], [1, 1, 1], [4, 0, 0]);
    expect(() => resampleLabels({ grid: far, labels: ramp }, target)).toThrow(AxialError);
    expect(() => resampleLabels({ grid: far, labels: ramp }, target)).toThrow(/centres are 4\.0 mm apart/);
    expect(() => resampleLabels({ grid: far, labels: ramp, file: '/data/far.nii.gz' }, target)).toThrow(
      expect.objectContaining({ code: 'MASK_GRID_MISMATCH', file: '/data/far.nii.gz', message: expect.stringMatching(/^\/data\/far\.nii\.gz: the label map/) }),
    );
  });

  it("places a label map on a fine grid (10 nm voxels): its first voxel on the target's first, the rest between", () => {
    const fine = grid([4, 4, 4], [1e-5, 1e-5, 1e-5], [0, 0, 0]);
    const placed = resampleLabels({ grid: fine, labels: ramp }, target);
    expect(placed.coverage).toBe(1 / 64);
    expect(placed.labels[0]).toBe(1);
    expect(placed.labels.subarray(1).every((v) => v === 0)).toBe(true);
  });
});
