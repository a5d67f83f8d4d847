import { describe, expect, it } from 'vitest';
import { halfFloat } from '../../../../main/segmentation/inference/halfFloat.js';
import { runPythonJson } from '../../../python.js';

/** numpy's float32 → float16 conversion (round to nearest, ties to even) of the same float32 values, as bit patterns. */
const numpyHalves = `
import sys, json, warnings, numpy as np
warnings.simplefilter('ignore')  # the overflow to infinity is what is being checked
values = np.array(json.loads(sys.argv[1]), dtype=np.float32)
print(json.dumps(values.astype(np.float16).view(np.uint16).tolist()))
`;

describe('halfFloat', () => {
  it('decodes every pattern and encodes it back to itself (NaNs aside)', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const value = halfFloat.decode[h]!;
      const back = halfFloat.encode(value);
      if (Number.isNaN(value) ? (back & 0x7c00) !== 0x7c00 || (back & 0x3ff) === 0 : back !== h) wrong.push(h);
    }
    expect(wrong).toEqual([]);
    expect([halfFloat.decode[0x3c00], halfFloat.decode[0x7bff], halfFloat.decode[0x0001], halfFloat.decode[0xc000]]).toEqual([1, 65504, 2 ** -24, -2]);
  });

  it('rounds as numpy does: to nearest, ties to even, overflow to infinity, subnormals', () => {
    // float32 values: ties between halves, just either side of them, subnormal halves, the overflow edge, and a spread of random magnitudes
    const values: number[] = [
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      1 + 2 ** -11 + 2 ** -20,
      -(1 + 2 ** -11 - 2 ** -20),
      2 ** -25,
      3 * 2 ** -25,
      2 ** -24 * 1.5,
      65504,
      65519,
      65520,
      -70000,
      0,
      -0,
    ];
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 3000; n++) values.push(Math.fround((random() - 0.5) * 2 ** (random() * 44 - 26)));
    const expected = runPythonJson<number[]>(numpyHalves, [JSON.stringify(values.map((v) => (Object.is(v, -0) ? 0 : v)))]);
    const ours = values.map((v) => halfFloat.encode(Object.is(v, -0) ? 0 : v));
    expect(ours.filter((h, n) => h !== expected[n])).toEqual([]);
    expect(ours.slice(0, 4)).toEqual([0x3c00, 0x3c02, 0x3c01, 0xbc00]);
  });
});
