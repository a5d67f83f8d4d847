import { describe, expect, it } from 'vitest';
import { createEditRecorder } from '../../../../renderer/segmentation/createEditRecorder.js';
import { decodeRuns } from '../../../../renderer/segmentation/decodeRuns.js';

describe('createEditRecorder', () => {
  it("gives each command's new values and the transaction's net old/new runs, sorted, however voxels were written", () => {
    const layer = new Uint8Array(100).fill(7, 40, 50);
    const initial = layer.slice();
    const recorder = createEditRecorder();
    const w = recorder.writer(0, layer);
    for (const n of [45, 12, 13, 11, 44, 90]) w.write(n, 3);
    expect(w.write(12, 3)).toBe(false);
    const first = recorder.takeCommandEdits();
    expect([...first.edits[0]!.runs]).toEqual([11, 3, 3, 44, 2, 3, 90, 1, 3]);
    expect(first.touched).toEqual(
      expect.arrayContaining([
        { layer: 0, value: 7 },
        { layer: 0, value: 3 },
      ]),
    );
    const w2 = recorder.writer(0, layer);
    w2.write(90, 0); // back to where it was: not in the net change
    w2.write(12, 5);
    w2.writeRuns(new Uint32Array([46, 2, 1])); // the per-voxel path, since the transaction has changes
    expect([...recorder.takeCommandEdits().edits[0]!.runs]).toEqual([12, 1, 5, 46, 2, 1, 90, 1, 0]);
    const [diff] = recorder.commit();
    expect([...diff!.oldRuns]).toEqual([11, 3, 0, 44, 4, 7]);
    expect([...diff!.newRuns]).toEqual([11, 1, 3, 12, 1, 5, 13, 1, 3, 44, 2, 3, 46, 2, 1]);
    const undone = layer.slice();
    decodeRuns(diff!.oldRuns, undone);
    expect(undone).toEqual(initial);
    expect(recorder.commit()).toEqual([]);
  });

  it('records a bulk change as runs directly, leaving out voxels that already held the value', () => {
    const layer = new Uint16Array(20).fill(2, 0, 6);
    const recorder = createEditRecorder();
    recorder.writer(0, layer).writeRuns(new Uint32Array([0, 10, 0, 15, 2, 400]));
    expect([...recorder.takeCommandEdits().edits[0]!.runs]).toEqual([0, 6, 0, 15, 2, 400]);
    const [diff] = recorder.commit();
    expect([...diff!.oldRuns]).toEqual([0, 6, 2, 15, 2, 0]);
    expect([...diff!.newRuns]).toEqual([0, 6, 0, 15, 2, 400]);
  });

  it('joins a later single write onto a bulk change of the same transaction', () => {
    const layer = new Uint8Array(30).fill(4, 10, 20);
    const initial = layer.slice();
    const recorder = createEditRecorder();
    const w = recorder.writer(0, layer);
    w.writeRuns(new Uint32Array([10, 10, 0]));
    w.write(15, 9);
    w.write(2, 9);
    expect([...recorder.takeCommandEdits().edits[0]!.runs]).toEqual([2, 1, 9, 10, 5, 0, 15, 1, 9, 16, 4, 0]);
    const [diff] = recorder.commit();
    const undone = layer.slice();
    decodeRuns(diff!.oldRuns, undone);
    expect(undone).toEqual(initial);
    expect([...diff!.oldRuns]).toEqual([2, 1, 0, 10, 10, 4]);
  });
});
