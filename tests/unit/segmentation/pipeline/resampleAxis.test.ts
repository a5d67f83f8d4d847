import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { resampleAxis } from '../../../../main/segmentation/pipeline/resampleAxis.js';
import { runPythonJson } from '../../../python.js';
import { seededRandom } from '../../../seededRandom.js';

/** 9×7×6 (every size differs) of irregular values, i fastest. */
const dims: Vec3 = [9, 7, 6];
const random = seededRandom(15);
const data = Float32Array.from({ length: dims[0] * dims[1] * dims[2] }, () => Math.round((random() - 0.5) * 4000) / 8);

/**
 * scipy.ndimage.map_coordinates on the same volume (held [i, j, k], k fastest in numpy), target index n of `axis` read at
 * source coordinate n × scale: order 1 is linear, order 0 nearest, and mode 'nearest' clamps to the border as Spacingd's
 * padding_mode 'border' does. Read back i fastest.
 */
function scipyResample(axis: number, length: number, scale: number, order: 0 | 1): number[] {
  const script = `
import json, sys, numpy as np
from scipy.ndimage import map_coordinates
a = np.array(json.loads(sys.argv[1]), dtype=np.float64).reshape(${dims[2]}, ${dims[1]}, ${dims[0]}).transpose(2, 1, 0)
axis, length, scale, order = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
shape = list(a.shape); shape[axis] = length
grid = [np.arange(s, dtype=np.float64) for s in shape]
grid[axis] = np.clip(grid[axis] * scale, 0, a.shape[axis] - 1)
coords = np.meshgrid(*grid, indexing='ij')
out = map_coordinates(a, coords, order=order, mode='nearest')
print(json.dumps([float(v) for v in out.transpose(2, 1, 0).ravel()]))
`;
  return runPythonJson<number[]>(script, [JSON.stringify(Array.from(data)), String(axis), String(length), String(scale), String(order)]);
}

describe('resampleAxis against scipy.ndimage.map_coordinates', () => {
  // Each axis, down (the whole-body CT's 0.8 → 1.5 mm) and up (2 → 1.5 mm), with the last target past the border.
  const cases = [0, 1, 2].flatMap((axis) => [
    { axis: axis as 0 | 1 | 2, length: Math.ceil(dims[axis]! * 0.6), scale: 1.5 / 0.8 },
    { axis: axis as 0 | 1 | 2, length: dims[axis]! + 3, scale: 0.75 },
  ]);
  it.each(cases)('linear along axis $axis to $length voxels (source step $scale)', ({ axis, length, scale }) => {
    const out = resampleAxis({ data, dimensions: dims, axis, length, scale, mode: 'linear' });
    expect(out.dimensions[axis]).toBe(length);
    const expected = scipyResample(axis, length, scale, 1);
    // Values in eighths and weights in eighths: both interpolations are exact in float64, so float32 storage agrees to the bit.
    expect(Array.from(out.data)).toEqual(expected.map(Math.fround));
  });

  it.each([0, 1, 2] as const)('nearest along axis %i copies source voxels exactly', (axis) => {
    const length = Math.ceil(dims[axis] * 1.6);
    const out = resampleAxis({ data, dimensions: dims, axis, length, scale: 0.61, mode: 'nearest' });
    expect(Array.from(out.data)).toEqual(scipyResample(axis, length, 0.61, 0));
  });
});
