import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelEdit, SegmentDef, SegmentInfo, VolumeHeader } from '../../../core/contract.js';
import { runPythonJson } from '../../python.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

/**
 * Statistics of a 4D series' segmentation over the time point shown: `mask:statistics` and `mask:edit`'s
 * `volumeId`. The series is an int16 4D NIfTI nibabel writes (8×8×4, 3 time points): voxel number n holds
 * n + 100·t, so a segment's mean at time point t is its voxel numbers' mean + 100·t. Another file on the same
 * grid is another series, whose values no statistics of the mask may be of.
 */
const makeScript = `
import json, sys
import nibabel as nib, numpy as np
n = np.arange(8 * 8 * 4).reshape((4, 8, 8)).transpose(2, 1, 0)  # voxel number i + 8 (j + 8 k)
nib.save(nib.Nifti1Image(np.stack([n + 100 * t for t in range(3)], axis=-1).astype(np.int16), np.eye(4)), sys.argv[1])
nib.save(nib.Nifti1Image(n.astype(np.int16), np.eye(4)), sys.argv[2])
print(json.dumps(int(n[1, 2, 3])))
`;

const segment: SegmentDef = { layer: 0, value: 1, name: 'a', colour: [200, 80, 60], algorithmType: 'MANUAL', locked: false };

/** Sets voxels [start, start + count) to `value` in layer 0, as the renderer sends a run. */
function run(start: number, count: number, value: number): LabelEdit {
  return { layer: 0, runs: new Uint8Array(Uint32Array.of(start, count, value).buffer) };
}

/** The mean, min, max and voxel count of the segment's row. */
const figures = (segments: readonly SegmentInfo[]) => {
  const { mean, min, max, voxels } = segments[0]!;
  return { mean, min, max, voxels };
};

describe('createMaskHandlers: statistics of the time point shown', () => {
  let h: Harness;
  let folder: string;
  /** Time points 0, 1 and 2 of the 4D series, and the other series. */
  let t: VolumeHeader[];
  let other: VolumeHeader;
  let scanOf4d: string;

  const open = async (file: string): Promise<string> => {
    h.answerNextOpen(file);
    return valueOf(await h.services.invoke('volume:open', { source: 'file' }))!.scanId;
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-mask-stats-4d-'));
    const series4d = join(folder, 'series4d.nii.gz');
    const series3d = join(folder, 'other.nii.gz');
    // Voxel (1, 2, 3) is number 1 + 8·(2 + 8·3): nibabel's axes are the viewer's.
    expect(runPythonJson<number>(makeScript, [series4d, series3d])).toBe(1 + 8 * (2 + 8 * 3));
    h = createHarness();
    scanOf4d = await open(series4d);
    t = [];
    for (const timePoint of [0, 1, 2]) t.push(valueOf(await h.services.invoke('volume:load', { scanId: scanOf4d, seriesIndex: 1, timePoint })));
    other = valueOf(await h.services.invoke('volume:load', { scanId: await open(series3d), seriesIndex: 1 }));
  }, 60_000);
  afterAll(async () => {
    await h.services.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers a mask made at t 0 over t 2, and keeps both time points current through edits', async () => {
    const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: t[0]!.volumeId }));
    const painted = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(0, 10, 1)], segments: [segment] }));
    expect(figures(painted.segments)).toEqual({ mean: 4.5, min: 0, max: 9, voxels: 10 });

    const atT2 = valueOf(await h.services.invoke('mask:statistics', { maskId, volumeId: t[2]!.volumeId }));
    expect(figures(atT2.segments)).toEqual({ mean: 204.5, min: 200, max: 209, voxels: 10 });
    // Asking is no edit.
    expect(valueOf(await h.services.invoke('mask:status', { maskId })).unsavedEdits).toBe(1);

    // Edits at t 2: voxels 10–19 join, 0–4 are erased; t 2's sums and the mask's own follow.
    const grown = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(10, 10, 1)], segments: [segment], volumeId: t[2]!.volumeId }));
    expect(figures(grown.segments)).toEqual({ mean: 209.5, min: 200, max: 219, voxels: 20 });
    const erased = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(0, 5, 0)], segments: [segment], volumeId: t[2]!.volumeId }));
    expect(figures(erased.segments)).toEqual({ mean: 212, min: 205, max: 219, voxels: 15 });

    expect(figures(valueOf(await h.services.invoke('mask:statistics', { maskId, volumeId: t[0]!.volumeId })).segments)).toEqual({
      mean: 12,
      min: 5,
      max: 19,
      voxels: 15,
    });
    expect(figures(valueOf(await h.services.invoke('mask:statistics', { maskId, volumeId: t[1]!.volumeId })).segments)).toEqual({
      mean: 112,
      min: 105,
      max: 119,
      voxels: 15,
    });
    // Without a volume the edit's statistics are the mask's own time point's, as before.
    const own = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(63, 1, 1)], segments: [segment] }));
    expect(figures(own.segments)).toEqual({
      mean: (5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 63) / 16,
      min: 5,
      max: 63,
      voxels: 16,
    });
  });

  it("refuses statistics of another series with MASK_VOLUME_MISMATCH; an edit that names it is kept, with the mask's own statistics", async () => {
    const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: t[1]!.volumeId }));
    const asked = await h.services.invoke('mask:statistics', { maskId, volumeId: other.volumeId });
    expect(asked).toMatchObject({ ok: false, error: { code: 'MASK_VOLUME_MISMATCH' } });
    // The statistics' volume never costs an edit: voxels 0–3 of t 1 (values 100–103).
    const edited = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(0, 4, 1)], segments: [segment], volumeId: other.volumeId }));
    expect(figures(edited.segments)).toEqual({ mean: 101.5, min: 100, max: 103, voxels: 4 });
    expect(valueOf(await h.services.invoke('mask:status', { maskId })).unsavedEdits).toBe(1);
    const stats = valueOf(await h.services.invoke('mask:statistics', { maskId, volumeId: t[0]!.volumeId }));
    expect(figures(stats.segments)).toEqual({ mean: 1.5, min: 0, max: 3, voxels: 4 });
  });

  it('answers UNKNOWN_ID for a mask or a volume it does not hold, and refuses extra fields', async () => {
    const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: t[0]!.volumeId }));
    expect(await h.services.invoke('mask:statistics', { maskId: 'gone', volumeId: t[0]!.volumeId })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ID' },
    });
    expect(await h.services.invoke('mask:statistics', { maskId, volumeId: 'gone' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ID' } });
    expect(await h.services.invoke('mask:statistics', { maskId, volumeId: t[0]!.volumeId, timePoint: 1 })).toMatchObject({
      ok: false,
      error: { code: 'IPC_INVALID_ARGUMENTS' },
    });
  });

  // Last: it makes main forget time point 0.
  it('goes on answering the time point shown after main forgets its volume (its sums are kept)', async () => {
    const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: t[1]!.volumeId }));
    valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(0, 10, 1)], segments: [segment], volumeId: t[0]!.volumeId }));
    await h.services.invoke('volume:load', { scanId: scanOf4d, seriesIndex: 1, timePoint: 2 });
    expect(h.services.getData('volume', t[0]!.volumeId)).toBeUndefined(); // main keeps 4 volumes
    const after = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [run(10, 2, 1)], segments: [segment], volumeId: t[0]!.volumeId }));
    expect(figures(after.segments)).toEqual({ mean: 5.5, min: 0, max: 11, voxels: 12 });
    expect(figures(valueOf(await h.services.invoke('mask:statistics', { maskId, volumeId: t[0]!.volumeId })).segments)).toEqual({
      mean: 5.5,
      min: 0,
      max: 11,
      voxels: 12,
    });
  });
});
