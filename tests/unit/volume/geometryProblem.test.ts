import { describe, expect, it } from 'vitest';
import { geometryProblem } from '../../../main/volume/Volume.js';
import type { Mat3, Vec3 } from '../../../core/geometry/types.js';

const axes: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const problem = (spacing: Vec3, direction: Mat3 = axes, origin: Vec3 = [0, 0, 0]): string | null => geometryProblem({ spacing, origin, direction });

describe('geometryProblem', () => {
  it('accepts a fine grid, and refuses spacings whose voxel volume is no number', () => {
    expect(problem([1e-5, 1e-5, 1e-5])).toBeNull();
    expect(problem([0.8, 0.8, 1.5])).toBeNull();
    // 1e-120 cubed underflows to 0 and 1e120 cubed overflows: world-to-index would divide by either.
    expect(problem([1e-120, 1e-120, 1e-120])).toBe('spacing 1e-120, 1e-120, 1e-120 is out of range');
    expect(problem([1e120, 1e120, 1e120])).toBe('spacing 1e+120, 1e+120, 1e+120 is out of range');
  });

  it('names what is wrong: a spacing, a non-finite origin, flat axes', () => {
    expect(problem([1, 0, 1])).toBe('spacing must be positive, got 1, 0, 1');
    expect(problem([1, 1, 1], axes, [0, Number.NaN, 0])).toBe('origin and direction must be finite');
    expect(
      problem(
        [1, 1, 1],
        [
          [1, 0, 0],
          [1, 0, 0],
          [0, 0, 1],
        ],
      ),
    ).toBe('direction axes are degenerate (collinear or zero)');
  });
});
