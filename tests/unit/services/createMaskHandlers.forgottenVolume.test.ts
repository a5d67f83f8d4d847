import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelEdit, SegmentDef, VolumeHeader } from '../../../core/contract.js';
import { runPythonJson } from '../../python.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

/**
 * An edit whose statistics are asked of a time point main has already forgotten (it keeps 4 loaded volumes; the
 * page caches its own 3 time points, so it can show one main dropped before its sums were kept). The series is an
 * int16 4D NIfTI nibabel writes (8×8×4, 3 time points): voxel number n holds n + 100·t.
 */
const makeScript = `
import json, sys
import nibabel as nib, numpy as np
n = np.arange(8 * 8 * 4).reshape((4, 8, 8)).transpose(2, 1, 0)
nib.save(nib.Nifti1Image(np.stack([n + 100 * t for t in range(3)], axis=-1).astype(np.int16), np.eye(4)), sys.argv[1])
print(json.dumps(int(n[1, 2, 3])))
`;

const segment: SegmentDef = { layer: 0, value: 1, name: 'a', colour: [200, 80, 60], algorithmType: 'MANUAL', locked: false };

/** Sets voxels [start, start + count) to `value` in layer 0, as the renderer sends a run. */
function run(start: number, count: number, value: number): LabelEdit {
  return { layer: 0, runs: new Uint8Array(Uint32Array.of(start, count, value).buffer) };
}

describe('createMaskHandlers: an edit whose statistics volume main has forgotten', () => {
  let folder: string;
  let recoveryDir: string;
  let series4d: string;
  let h: Harness;

  const load = async (harness: Harness, timePoint: number): Promise<VolumeHeader> => {
    harness.answerNextOpen(series4d);
    const { scanId } = valueOf(await harness.services.invoke('volume:open', { source: 'file' }))!;
    return valueOf(await harness.services.invoke('volume:load', { scanId, seriesIndex: 1, timePoint }));
  };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'axial-mask-forgotten-'));
    recoveryDir = join(folder, 'recovery');
    series4d = join(folder, 'series4d.nii.gz');
    expect(runPythonJson<number>(makeScript, [series4d])).toBe(1 + 8 * (2 + 8 * 3));
    h = createHarness({ recoveryDir });
  }, 60_000);
  afterAll(async () => {
    await h.services.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it("keeps and journals the edit, answering the mask's own statistics", async () => {
    const t0 = await load(h, 0);
    await load(h, 1);
    const t2 = await load(h, 2);
    const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: t2.volumeId }));
    // Two more loads: main forgets t 0's first volume, whose sums it never kept (no statistics were asked of it).
    await load(h, 0);
    await load(h, 1);
    expect(h.services.getData('volume', t0.volumeId)).toBeUndefined();

    const edited = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(8, 4, 1)], segments: [segment], volumeId: t0.volumeId }));
    // The mask's own time point (t 2): voxels 8–11 hold 208–211.
    expect(edited.segments.map(({ voxels, mean, min, max }) => ({ voxels, mean, min, max }))).toEqual([{ voxels: 4, mean: 209.5, min: 208, max: 211 }]);
    expect(edited.unsavedEdits).toBe(1);
    const layer = h.services.getData('mask', `${maskId}:0`)!;
    expect([...layer.subarray(6, 14)]).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    // And the next edit at that time point is kept too.
    valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(20, 2, 1)], segments: [segment], volumeId: t0.volumeId }));
    expect(valueOf(await h.services.invoke('mask:status', { maskId })).unsavedEdits).toBe(2);

    // The journal holds both: a second app, as after a crash, restores them.
    const after = createHarness({ recoveryDir });
    try {
      const reopened = await load(after, 2);
      expect(reopened.recovery).toMatchObject({ edits: 2 });
      const restored = valueOf(await after.services.invoke('mask:recover', { volumeId: reopened.volumeId }));
      expect(restored.segments.map((s) => s.voxels)).toEqual([6]);
      expect(Buffer.from(after.services.getData('mask', `${restored.maskId}:0`)!).equals(Buffer.from(layer))).toBe(true);
    } finally {
      await after.services.dispose();
    }
  });
});
