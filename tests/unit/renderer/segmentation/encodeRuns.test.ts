import { describe, expect, it } from 'vitest';
import { labelEditSchema } from '../../../../core/contract.js';
import { decodeRuns } from '../../../../renderer/segmentation/decodeRuns.js';
import { encodeRuns } from '../../../../renderer/segmentation/encodeRuns.js';
import { toLabelEdit } from '../../../../renderer/segmentation/toLabelEdit.js';

describe('encodeRuns / decodeRuns', () => {
  it('merges consecutive voxels with the same value into one run', () => {
    const voxels = [3, 4, 5, 6, 9, 10, 11, 20];
    const values = [1, 1, 2, 2, 2, 2, 0, 7];
    expect([...encodeRuns(voxels, values)]).toEqual([3, 2, 1, 5, 2, 2, 9, 2, 2, 11, 1, 0, 20, 1, 7]);
    expect(encodeRuns([], [])).toHaveLength(0);
  });

  it('round-trips a random sparse change onto a layer', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const before = new Uint16Array(10_000);
    for (let n = 0; n < before.length; n++) before[n] = random() < 0.5 ? 0 : Math.floor(random() * 3);
    const after = before.slice();
    const voxels: number[] = [];
    for (let n = 0; n < after.length; n++) {
      if (random() < 0.3) {
        after[n] = random() < 0.5 ? 300 : Math.floor(random() * 4);
        voxels.push(n);
      }
    }
    const runs = encodeRuns(
      voxels,
      voxels.map((n) => after[n]!),
    );
    expect(runs.length).toBeLessThan(voxels.length * 3);
    const decoded = before.slice();
    decodeRuns(runs, decoded);
    expect(decoded).toEqual(after);
  });

  it('refuses runs that overrun the layer or values too wide for it', () => {
    expect(() => decodeRuns(new Uint32Array([8, 3, 1]), new Uint8Array(10))).toThrow(RangeError);
    expect(() => decodeRuns(new Uint32Array([0, 1, 256]), new Uint8Array(10))).toThrow(RangeError);
  });
});

describe('toLabelEdit', () => {
  it('gives the wire form: little-endian uint32 triples that pass the contract schema', () => {
    const runs = new Uint32Array([70_000, 2, 258, 5, 1, 1]);
    const edit = toLabelEdit({ layer: 2, runs });
    expect(labelEditSchema.safeParse(edit).success).toBe(true);
    const view = new DataView(edit.runs.buffer, edit.runs.byteOffset, edit.runs.byteLength);
    const back = Array.from({ length: runs.length }, (_, k) => view.getUint32(4 * k, true));
    expect(back).toEqual([...runs]);
    expect(edit.layer).toBe(2);
  });
});
