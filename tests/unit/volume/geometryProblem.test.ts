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
  it('accepts voxels from 1 nm to 1 km, and refuses damage outside (2.35e-38 is a byte-swapped float32 1)', () => {
    expect(problem([1e-5, 1e-5, 1e-5])).toBeNull();
    expect(problem([0.8, 0.8, 1.5])).toBeNull();
    expect(problem([1e-6, 1, 1e6])).toBeNull();
    expect(problem([2.35e-38, 3, 3])).toBe('spacing 2.35e-38, 3, 3 is outside 0.000001 to 1000000 mm');
    // In any order: a product check would pass 1e200 × 1e-200 × 1e-200, whose world-to-index divides by 0.
    expect(problem([1e200, 1e-200, 1e-200])).toBe('spacing 1e+200, 1e-200, 1e-200 is outside 0.000001 to 1000000 mm');
  });

  it('names what is wrong: a spacing, a non-finite origin, flat axes', () => {
    expect(problem([1, 0, 1])).toBe('spacing must be positive and finite, got 1, 0, 1');
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
