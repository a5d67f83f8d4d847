import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import type { LabelDisplay } from '../../../../renderer/display/labelDisplayOf.js';
import { reducedLabelCodes } from '../../../../renderer/volume3d/reducedLabelCodes.js';

describe('reducedLabelCodes', () => {
  it("takes the largest display code of each block, the second layer's codes drawn over the first, and reports changes", () => {
    const sourceDims: Vec3 = [5, 4, 5];
    const factors: Vec3 = [2, 2, 2];
    const dims: Vec3 = [2, 2, 2];
    const at = (i: number, j: number, k: number): number => (k * 4 + j) * 5 + i;
    const first = new Uint8Array(100);
    const second = new Uint8Array(100);
    first[at(0, 0, 0)] = 1; // block (0, 0, 0)
    first[at(3, 1, 1)] = 2; // block (1, 0, 0)
    second[at(2, 1, 0)] = 1; // block (1, 0, 0): code 2 + 1 = 3 beats 2
    first[at(1, 3, 3)] = 1; // block (0, 1, 1)
    first[at(4, 0, 0)] = 2; // the dropped last column (i = 4): in no block
    first[at(0, 0, 4)] = 2; // the dropped last slice (k = 4): in no block
    // Layer 0 holds values 1 and 2, so layer 1's value v shows as 2 + v (labelDisplayOf's rule).
    const labels: LabelDisplay = { layers: [first, second], layerBase: [0, 2], maxCode: 3, revision: 0 };
    const codesOf = reducedLabelCodes(labels, dims, { sourceDims, factors });
    const codes = new Uint8Array(8);
    expect(codesOf(codes, 0)).toBe(true);
    expect(codesOf(codes, 1)).toBe(true);
    expect(Array.from(codes)).toEqual([1, 3, 0, 0, 0, 0, 1, 0]);
    expect(codesOf(codes, 0)).toBe(false);
    second[at(2, 1, 0)] = 0;
    expect(codesOf(codes, 0)).toBe(true);
    expect(codes[1]).toBe(2);
  });
});
