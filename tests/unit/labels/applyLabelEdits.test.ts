import { describe, expect, it } from 'vitest';
import type { LabelEdit } from '../../../core/contract.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { applyLabelEdits } from '../../../main/labels/applyLabelEdits.js';
import { checkLabelEdits } from '../../../main/labels/checkLabelEdits.js';

const edit = (layer: number, ...runs: (readonly [number, number, number])[]): LabelEdit => ({
  layer,
  runs: new Uint8Array(Uint32Array.from(runs.flat()).buffer),
});

/** The code and message applyLabelEdits throws, or null. */
function thrown(run: () => unknown): { code: string; message: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(AxialError);
    return { code: (error as AxialError).code, message: (error as AxialError).message };
  }
}

describe('applyLabelEdits', () => {
  it('applies runs in order, widens to uint16 for a label above 255 and adds the layer after the last', () => {
    const [labels, added] = applyLabelEdits([new Uint8Array(10)], [edit(0, [2, 3, 4], [3, 1, 300]), edit(1, [9, 1, 1])], 10);
    expect(labels).toBeInstanceOf(Uint16Array);
    expect(Array.from(labels!)).toEqual([0, 0, 4, 300, 4, 0, 0, 0, 0, 0]);
    expect(Array.from(added!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it.each([
    ['a run past the last voxel', [edit(0, [8, 3, 1])], /a run \(8\+3\) leaves the volume \(10 voxels\)/],
    ['a run whose start is past the end', [edit(0, [4294967295, 1, 1])], /leaves the volume/],
    ['a label above 65535', [edit(0, [0, 1, 70000])], /label 70000 is above 65535/],
    ['a layer two past the last', [edit(2, [0, 1, 1])], /layer 2 does not exist \(there are 1\)/],
    ['a negative layer', [edit(-1, [0, 1, 1])], /layer -1 does not exist/],
    ['runs cut short of a whole triple', [{ layer: 0, runs: new Uint8Array(8) }], /holds 8 bytes, not whole \(start, count, value\) triples/],
  ] as const)('refuses %s with IPC_INVALID_ARGUMENTS before applying anything', (_, bad, message) => {
    const labels = new Uint8Array(10);
    const error = thrown(() => applyLabelEdits([labels], [edit(0, [0, 5, 9]), ...bad], 10));
    expect(error).toMatchObject({ code: 'IPC_INVALID_ARGUMENTS', message: expect.stringMatching(message) });
    expect(labels.every((v) => v === 0)).toBe(true);
  });
});

describe('checkLabelEdits', () => {
  it('counts a layer added by an earlier edit when checking a later one', () => {
    const checked = checkLabelEdits([edit(1, [0, 1, 1]), edit(2, [0, 1, 1])], 1, 10);
    expect(checked).toMatchObject({ ok: true, layerCount: 3 });
    expect(checkLabelEdits([edit(2, [0, 1, 1])], 1, 10)).toMatchObject({ ok: false });
  });
});
