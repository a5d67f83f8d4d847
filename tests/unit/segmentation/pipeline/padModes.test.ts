import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { isAxialError } from '../../../../main/errors/AxialError.js';
import { cropOrPad } from '../../../../main/segmentation/pipeline/cropOrPad.js';
import { monaiPadModes, padVolume, type PadMode } from '../../../../main/segmentation/pipeline/padModes.js';

/** A 5×3×4 volume (all sizes differ) of distinct, irregular values, i fastest. */
const dims: Vec3 = [5, 3, 4];
const data = Float32Array.from({ length: 60 }, (_, n) => Math.round(Math.sin(n * 1.7) * 1000) / 8 + (n % 7) * 0.3);

/**
 * numpy.pad on the same volume (held as MONAI does, [i, j, k] with k fastest), read back i fastest. numpy before 2.0
 * (Debian's 1.24) wraps a pad wider than the axis out of step (`np.pad(arange(5), (7, 4), 'wrap')` starts 2, 3, 0);
 * numpy 2 and torch's circular repeat the axis strictly, as Axial does: for those the reference is `np.take(mode='wrap')`.
 */
function numpyPad(mode: string, widths: readonly (readonly [number, number])[], value = 0): Float32Array {
  const script = `
import json, sys, numpy as np
a = np.array(json.loads(sys.argv[1]), dtype=np.float32).reshape(${dims[2]}, ${dims[1]}, ${dims[0]}).transpose(2, 1, 0)
kw = {'constant_values': ${value}} if sys.argv[2] == 'constant' else {}
w = json.loads(sys.argv[3])
if sys.argv[2] == 'wrap' and any(w[d][0] > a.shape[d] or w[d][1] > a.shape[d] for d in range(3)):
    p = a
    for d in range(3):
        p = np.take(p, np.arange(-w[d][0], a.shape[d] + w[d][1]), axis=d, mode='wrap')
else:
    p = np.pad(a, w, mode=sys.argv[2], **kw)
print(json.dumps(p.shape), json.dumps([float(v) for v in p.transpose(2, 1, 0).ravel()]))
`;
  const out = execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(Array.from(data)), mode, JSON.stringify(widths)], { encoding: 'utf8' });
  const [shape, values] = out.trim().split(' [');
  expect(JSON.parse(shape!)).toEqual(widths.map((w, a) => dims[a]! + w[0] + w[1]));
  return Float32Array.from(JSON.parse(`[${values!}`) as number[]);
}

const narrow = [
  [1, 2],
  [2, 1],
  [0, 3],
] as const;
// Wider than the axes (j has 3 voxels): numpy pads in rounds, which the periodic index maps must reproduce.
const wide = [
  [7, 4],
  [5, 8],
  [4, 9],
] as const;

describe('padVolume against numpy.pad', () => {
  const modes: PadMode[] = ['constant', 'edge', 'reflect', 'symmetric', 'wrap', 'minimum', 'maximum', 'mean', 'median'];
  for (const mode of modes) {
    for (const [label, widths] of [
      ['narrow', narrow],
      ['wide', wide],
    ] as const) {
      if (mode === 'reflect' && label === 'wide') continue; // torch, which MONAI uses, refuses it: asserted below
      it(`${mode}, ${label} pads`, () => {
        const got = padVolume({ dimensions: dims, data }, widths, mode, mode === 'constant' ? -7.5 : 0);
        const want = numpyPad(mode, widths, -7.5);
        expect(got.dimensions).toEqual(widths.map((w, a) => dims[a]! + w[0] + w[1]));
        expect(got.data.length).toBe(want.length);
        // Exact for index modes and order statistics; the mean is summed in float64 here, in float32 by numpy.
        let worst = 0;
        for (let n = 0; n < want.length; n++) worst = Math.max(worst, Math.abs(got.data[n]! - want[n]!) / Math.max(1, Math.abs(want[n]!)));
        expect(worst).toBeLessThanOrEqual(mode === 'mean' || mode === 'median' ? 1e-6 : 0);
      });
    }
  }

  it('refuses reflect by the axis size or more, as torch does in MONAI', () => {
    let caught: unknown;
    try {
      padVolume({ dimensions: dims, data }, wide, 'reflect');
    } catch (error) {
      caught = error;
    }
    expect(isAxialError(caught) && caught.code).toBe('MODEL_UNSUPPORTED');
  });

  it("maps torch's names as MONAI's convert_pad_mode does", () => {
    expect(monaiPadModes.replicate).toBe('edge');
    expect(monaiPadModes.circular).toBe('wrap');
    expect(monaiPadModes.linear_ramp).toBeUndefined();
  });
});

describe('cropOrPad with a mode', () => {
  it('crops first, then pads what lies outside from the cropped part (MONAI crop_pad), moving the origin with the box', () => {
    const image = {
      dimensions: dims,
      spacing: [1, 2, 3] as Vec3,
      origin: [10, 20, 30] as Vec3,
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ] as const,
      data,
    };
    // i: crop 1 at the start, pad 2 at the end; j: pad 1 before, keep; k: crop to 2..3
    const got = cropOrPad(image, { start: [1, -1, 2], end: [7, 3, 4] }, 0, 'minimum');
    expect(got.dimensions).toEqual([6, 4, 2]);
    expect(got.origin).toEqual([11, 18, 36]);
    // Voxel (i=0, j=1, k=0) of the result is source (1, 0, 2).
    expect(got.data[0 + 1 * 6]).toBe(data[1 + 0 * 5 + 2 * 15]);
    // Voxel (i=5, j=1, k=0) is padded along i: the minimum of source row (1..4, j=0, k=2).
    const row = [1, 2, 3, 4].map((i) => data[i + 2 * 15]!);
    expect(got.data[5 + 1 * 6]).toBe(Math.min(...row));
  });
});
