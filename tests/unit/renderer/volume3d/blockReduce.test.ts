import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { blockReduce } from '../../../../renderer/volume3d/blockReduce.js';

/** numpy's block mean and max of the same voxels (trailing partial blocks dropped), as JSON. */
const numpyScript = `
import json, sys
import numpy as np
dims = json.loads(sys.argv[1]); f = json.loads(sys.argv[2])
v = np.array(json.loads(sys.stdin.read()), dtype=np.float64).reshape(dims[2], dims[1], dims[0])
r = [dims[a] // f[a] for a in range(3)]
b = v[: r[2] * f[2], : r[1] * f[1], : r[0] * f[0]].reshape(r[2], f[2], r[1], f[1], r[0], f[0])
print(json.dumps({"mean": b.mean(axis=(1, 3, 5)).ravel().tolist(), "max": b.max(axis=(1, 3, 5)).ravel().tolist()}))
`;

/** A seeded random int16-like volume (a linear congruential generator, so a failure repeats). */
function randomVolume(dims: Vec3, seed: number): Int16Array {
  const out = new Int16Array(dims[0] * dims[1] * dims[2]);
  let s = seed;
  for (let n = 0; n < out.length; n++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[n] = (s % 4001) - 1024;
  }
  return out;
}

describe('blockReduce', () => {
  it.each([
    { dims: [9, 7, 10] as Vec3, factors: [2, 3, 4] as Vec3 },
    { dims: [16, 12, 9] as Vec3, factors: [1, 2, 3] as Vec3 },
    { dims: [5, 5, 5] as Vec3, factors: [5, 1, 2] as Vec3 },
  ])('equals numpy block mean and max on a random $dims volume by $factors', ({ dims, factors }) => {
    const voxels = randomVolume(dims, dims[0] * 131 + factors[2]);
    const reference = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', numpyScript, JSON.stringify(dims), JSON.stringify(factors)], {
        input: JSON.stringify(Array.from(voxels)),
      }).toString(),
    ) as { mean: number[]; max: number[] };
    const reduced = [0, 1, 2].map((a) => Math.floor(dims[a]! / factors[a]!));
    const count = reduced[0]! * reduced[1]! * reduced[2]!;
    expect(reference.mean).toHaveLength(count);
    const mean = new Float64Array(count);
    const max = new Int16Array(count);
    const source = { voxels, dims, firstSlice: 0 };
    blockReduce(source, factors, 'mean', mean, 0, reduced[2]!);
    blockReduce(source, factors, 'max', max, 0, reduced[2]!);
    for (let n = 0; n < count; n++) expect(mean[n]).toBeCloseTo(reference.mean[n]!, 9);
    expect(Array.from(max)).toEqual(reference.max);
  });

  it('reduces from a part of the source (firstSlice) into a part of the output (outFirstSlice) as from the whole', () => {
    const dims: Vec3 = [6, 4, 9];
    const factors: Vec3 = [2, 2, 3];
    const voxels = randomVolume(dims, 7);
    const whole = new Float32Array(3 * 2 * 3);
    blockReduce({ voxels, dims, firstSlice: 0 }, factors, 'mean', whole, 0, 3);
    const plane = 6 * 4;
    const part = new Float32Array(3 * 2);
    blockReduce({ voxels: voxels.subarray(3 * plane, 6 * plane), dims, firstSlice: 3 }, factors, 'mean', part, 1, 2, 1);
    expect(Array.from(part)).toEqual(Array.from(whole.subarray(6, 12)));
  });

  it('keeps a one-voxel-thin label with max where the mean would fade it', () => {
    const dims: Vec3 = [4, 4, 4];
    const codes = new Uint8Array(64);
    for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) codes[k * 16 + j * 4 + 1] = 7;
    const out = new Uint8Array(8);
    blockReduce({ voxels: codes, dims, firstSlice: 0 }, [2, 2, 2], 'max', out, 0, 2);
    expect(Array.from(out)).toEqual([7, 0, 7, 0, 7, 0, 7, 0]);
  });
});
