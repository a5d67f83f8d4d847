import { describe, expect, it } from 'vitest';
import { add, cross, dot, scale, subtract, triple, unit } from '../../../../core/geometry/vec3.js';

describe('vec3', () => {
  it('computes dot, cross, add, subtract and scale', () => {
    expect(dot([1, 2, 3], [4, -5, 6])).toBe(12);
    expect(cross([1, 0, 0], [0, 1, 0])).toEqual([0, 0, 1]);
    expect(cross([2, 3, 4], [5, 6, 7])).toEqual([-3, 6, -3]);
    expect(add([1, 2, 3], [0.5, -2, 1])).toEqual([1.5, 0, 4]);
    expect(subtract([1, 2, 3], [0.5, -2, 1])).toEqual([0.5, 4, 2]);
    expect(scale([1, -2, 3], -2)).toEqual([-2, 4, -6]);
  });

  it('gives the scalar triple product: the determinant with columns a, b, c', () => {
    expect(triple([1, 0, 0], [0, 1, 0], [0, 0, 1])).toBe(1);
    expect(triple([0, 1, 0], [1, 0, 0], [0, 0, 1])).toBe(-1);
    expect(triple([2, 0, 0], [0, 3, 0], [1, 1, 4])).toBe(24);
  });

  it('scales to unit length', () => {
    expect(unit([3, 0, 4])).toEqual([0.6000000000000001, 0, 0.8]);
    expect(Math.hypot(...unit([1, 2, 2]))).toBeCloseTo(1, 15);
  });
});
