import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelEdit, SegmentDef, VolumeHeader } from '../../../core/contract.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
import { createVolume } from '../../../main/volume/Volume.js';
import { plainRecovery } from '../../../main/services/serviceHelpers.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-unsaved-'));
const recoveryDir = join(scratch, 'recovery');
const dims = [12, 10, 6] as const;
const voxels = dims[0] * dims[1] * dims[2];

/** A small scan written at test time: values 0..n-1, 1 mm voxels. */
async function writeScan(name: string): Promise<string> {
  const path = join(scratch, name);
  const volume = createVolume({
    dimensions: dims,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    voxels: Int16Array.from({ length: voxels }, (_, n) => n),
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
  await writeNifti(volume, path);
  return path;
}

function edit(runs: readonly (readonly [number, number, number])[]): LabelEdit {
  return { layer: 0, runs: new Uint8Array(Uint32Array.from(runs.flat()).buffer) };
}

const lesion: SegmentDef = { layer: 0, value: 1, name: 'lesion', colour: [200, 80, 60], algorithmType: 'MANUAL', locked: false };

async function load(h: Harness, path: string): Promise<VolumeHeader> {
  h.answerNextOpen(path);
  const scan = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
  return valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
}

/** A new segmentation on `volume` with `count` edits (each paints 10 more voxels). */
async function paint(h: Harness, volume: VolumeHeader, count: number): Promise<string> {
  const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: volume.volumeId }));
  for (let n = 0; n < count; n++) {
    const answer = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[n * 10, 10, 1]])], segments: [lesion] }));
    expect(answer.unsavedEdits).toBe(n + 1);
  }
  return maskId;
}

const status = async (h: Harness, maskId: string) => valueOf(await h.services.invoke('mask:status', { maskId }));

describe('createAppServices: unsaved edits are counted by main, and the journal stays until saved or discarded', () => {
  let first: string;
  let second: string;
  beforeAll(async () => {
    first = await writeScan('first.nii.gz');
    second = await writeScan('second.nii.gz');
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('counts each change since the last save; a statistics export is no save, a label map is', async () => {
    const h = createHarness({ recoveryDir: join(scratch, 'count') });
    try {
      const scan = await load(h, first);
      const maskId = await paint(h, scan, 3);
      expect(await status(h, maskId)).toEqual({ name: 'first.nii.gz segmentation', unsavedEdits: 3, unsavedResult: false });
      expect(h.services.unsavedWork()).toEqual([{ maskId, name: 'first.nii.gz segmentation', unsavedEdits: 3, unsavedResult: false }]);
      // Unsaved work is never closed away.
      expect(valueOf(await h.services.invoke('mask:close', { maskId }))).toEqual({ closed: false });
      h.answerNextSave(join(scratch, 'stats.csv'));
      valueOf(await h.services.invoke('mask:export', { maskId, format: 'stats-csv' }));
      expect((await status(h, maskId)).unsavedEdits).toBe(3);
      h.answerNextSave(join(scratch, 'count.nrrd'));
      valueOf(await h.services.invoke('mask:export', { maskId, format: 'nrrd' }));
      expect((await status(h, maskId)).unsavedEdits).toBe(0);
      expect(h.services.unsavedWork()).toEqual([]);
      expect(valueOf(await h.services.invoke('mask:close', { maskId }))).toEqual({ closed: true });
      expect(h.services.getData('mask', `${maskId}:0`)).toBeUndefined();
    } finally {
      await h.services.dispose();
    }
  });

  it('keeps the journal when another scan is opened and the app quits: reopening the first offers Restore', async () => {
    const h = createHarness({ recoveryDir });
    const scan = await load(h, first);
    await paint(h, scan, 2);
    await load(h, second);
    await h.services.dispose();
    expect(readdirSync(recoveryDir)).toHaveLength(1);

    const again = createHarness({ recoveryDir });
    try {
      const reopened = await load(again, first);
      expect(reopened.recovery).toMatchObject({ maskName: 'first.nii.gz segmentation', edits: 2 });
      expect((await load(again, second)).recovery).toBeNull();
      // Restored edits are unsaved edits: main counts them.
      const restored = valueOf(await again.services.invoke('mask:recover', { volumeId: reopened.volumeId }));
      expect(restored.unsavedEdits).toBe(2);
      expect(again.services.unsavedWork().map((w) => w.maskId)).toEqual([restored.maskId]);
    } finally {
      await again.services.dispose();
    }
  });

  it('the scan opened again through a symlinked folder is offered its journal', async () => {
    const dir = join(scratch, 'symlinked');
    const h = createHarness({ recoveryDir: dir });
    await paint(h, await load(h, first), 2);
    await h.services.dispose();
    const link = join(scratch, 'link-to-scratch');
    symlinkSync(scratch, link);
    const again = createHarness({ recoveryDir: dir });
    try {
      expect((await load(again, join(link, 'first.nii.gz'))).recovery).toMatchObject({ edits: 2 });
    } finally {
      await again.services.dispose();
    }
  });

  it('an edit the journal cannot take is kept all the same and said unprotected; the next edit heals the journal', async () => {
    const dir = join(scratch, 'gap');
    const h = createHarness({ recoveryDir: dir });
    const scan = await load(h, first);
    const maskId = await paint(h, scan, 1);
    const journalFile = join(dir, readdirSync(dir)[0]!);
    // One append fails outright (a directory where the file was; ENOSPC or an antivirus lock in the field).
    renameSync(journalFile, `${journalFile}.aside`);
    mkdirSync(journalFile);
    const erase = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[5, 3, 0]])], segments: [lesion] }));
    expect(erase.unsavedEdits).toBe(2);
    expect(erase.unprotected).toMatch(/EISDIR/);
    rmdirSync(journalFile);
    renameSync(`${journalFile}.aside`, journalFile);
    const later = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[40, 10, 1]])], segments: [lesion] }));
    expect(later).not.toHaveProperty('unprotected');
    const beforeCrash = Uint8Array.from(h.services.getData('mask', `${maskId}:0`)!);
    expect([...beforeCrash.subarray(0, 10)]).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 1, 1]);
    await h.services.dispose();

    // The crash: what the journal restores is main's copy, the erase included (before, it was left out without a word).
    const again = createHarness({ recoveryDir: dir });
    try {
      const reopened = await load(again, first);
      expect(reopened.recovery).toMatchObject({ damage: null });
      const restored = valueOf(await again.services.invoke('mask:recover', { volumeId: reopened.volumeId }));
      expect(restored.warnings).toEqual([]);
      expect(Uint8Array.from(again.services.getData('mask', `${restored.maskId}:0`)!)).toEqual(beforeCrash);
    } finally {
      await again.services.dispose();
    }
  });

  it('with no journal possible at all, edits are still kept, counted and guarded: never an empty save', async () => {
    const blocked = join(scratch, 'not-a-folder');
    writeFileSync(blocked, 'a file where the recovery folder should be');
    const h = createHarness({ recoveryDir: join(blocked, 'recovery') });
    try {
      const scan = await load(h, first);
      const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: scan.volumeId }));
      for (let n = 1; n <= 3; n++) {
        const answer = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[n * 10, 10, 1]])], segments: [lesion] }));
        expect(answer).toMatchObject({ unsavedEdits: n, unprotected: expect.stringMatching(/ENOTDIR/) });
      }
      expect(h.services.unsavedWork()).toEqual([{ maskId, name: 'first.nii.gz segmentation', unsavedEdits: 3, unsavedResult: false }]);
      expect(valueOf(await h.services.invoke('mask:close', { maskId }))).toEqual({ closed: false });
      const saved = join(scratch, 'unjournaled.nii.gz');
      h.answerNextSave(saved);
      expect(valueOf(await h.services.invoke('mask:save', { maskId }))).toMatchObject({ saved: true });
      const labels = (await readNifti(saved)).volume.voxels;
      expect(Array.prototype.filter.call(labels, (v: number) => v === 1)).toHaveLength(30);
    } finally {
      await h.services.dispose();
    }
  });

  it('a page that crashed leaves its segmentation unsaved until the journal is restored (then the restored one is the unsaved work)', async () => {
    const h = createHarness({ recoveryDir: join(scratch, 'crash') });
    try {
      const scan = await load(h, first);
      const orphan = await paint(h, scan, 2);
      // The page reloads; main lives on. The scan is opened again and its edits restored.
      const reopened = await load(h, first);
      expect(reopened.recovery).toMatchObject({ edits: 2 });
      const restored = valueOf(await h.services.invoke('mask:recover', { volumeId: reopened.volumeId }));
      expect(h.services.getData('mask', `${restored.maskId}:0`)).toEqual(h.services.getData('mask', `${orphan}:0`));
      expect(h.services.unsavedWork().map((w) => w.maskId)).toEqual([restored.maskId]);
      expect((await status(h, orphan)).unsavedEdits).toBe(0);
    } finally {
      await h.services.dispose();
    }
  });

  it('mask:save writes NIfTI by default (or the label format the name ends in) and ends the journal', async () => {
    const dir = join(scratch, 'save');
    const h = createHarness({ recoveryDir: dir });
    try {
      const scan = await load(h, first);
      const maskId = await paint(h, scan, 2);
      h.answerNextSave(join(scratch, 'saved'));
      expect(valueOf(await h.services.invoke('mask:save', { maskId }))).toEqual({ saved: true, fileName: 'saved.nii.gz', warnings: [], complete: true });
      // A NIfTI scan offers the label maps NIfTI, Slicer's and NRRD, NIfTI first; DICOM SEG needs a DICOM scan.
      expect(h.saveRequests.at(-1)).toEqual({
        suggestedName: 'first.nii.gz segmentation.nii.gz',
        filters: [
          { name: 'NIfTI label map', extensions: ['nii.gz'] },
          { name: '3D Slicer segmentation', extensions: ['seg.nrrd'] },
          { name: 'NRRD label map', extensions: ['nrrd'] },
        ],
      });
      const written = (await readNifti(join(scratch, 'saved.nii.gz'))).volume.voxels;
      expect(Array.from(written.subarray(0, 21))).toEqual([...Array(20).fill(1), 0]);
      expect((await status(h, maskId)).unsavedEdits).toBe(0);
      expect(readdirSync(dir)).toEqual([]);
      expect((await load(h, first)).recovery).toBeNull();

      valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[50, 5, 1]])], segments: [lesion] }));
      h.answerNextSave(join(scratch, 'saved.nrrd'));
      expect(await h.services.saveMask(maskId)).toEqual({ saved: true, fileName: 'saved.nrrd', warnings: [] });
      expect((await readNrrd(join(scratch, 'saved.nrrd'))).volume.voxels[52]).toBe(1);
      // A cancelled save dialog saves nothing and leaves the edit unsaved.
      valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[70, 5, 1]])], segments: [lesion] }));
      h.answerNextSave(undefined);
      expect(await h.services.saveMask(maskId)).toEqual({ saved: false, warnings: [] });
      expect((await status(h, maskId)).unsavedEdits).toBe(1);
    } finally {
      await h.services.dispose();
    }
  });

  it('mask:discard drops the unsaved edits and their journal: reopening offers no Restore', async () => {
    const dir = join(scratch, 'discard');
    const h = createHarness({ recoveryDir: dir });
    try {
      const scan = await load(h, first);
      const maskId = await paint(h, scan, 4);
      expect(readdirSync(dir)).toHaveLength(1);
      expect(valueOf(await h.services.invoke('mask:discard', { maskId }))).toEqual({ discarded: true });
      expect(readdirSync(dir)).toEqual([]);
      expect((await status(h, maskId)).unsavedEdits).toBe(0);
      expect((await load(h, first)).recovery).toBeNull();
      // Editing again starts a new journal from the segmentation as it is.
      valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[90, 3, 1]])], segments: [lesion] }));
      await h.services.discardMask(maskId);
      expect(h.services.unsavedWork()).toEqual([]);
    } finally {
      await h.services.dispose();
    }
  });

  it('an edit that arrives while the file is written stays unsaved, and its journal stays', async () => {
    const dir = join(scratch, 'during');
    const h = createHarness({ recoveryDir: dir });
    try {
      const scan = await load(h, first);
      const maskId = await paint(h, scan, 2);
      h.answerNextSave(join(scratch, 'during.nrrd'));
      const saving = h.services.invoke('mask:save', { maskId });
      // The save is past its dialog and writing (the layers already flattened) when the next edit comes.
      await new Promise((done) => setImmediate(done));
      valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[200, 5, 1]])], segments: [lesion] }));
      expect(valueOf(await saving)).toMatchObject({ saved: true, complete: true });
      expect((await readNrrd(join(scratch, 'during.nrrd'))).volume.voxels[202]).toBe(0);
      expect((await status(h, maskId)).unsavedEdits).toBe(1);
      expect(readdirSync(dir)).toHaveLength(1);
      expect((await load(h, first)).recovery).toMatchObject({ edits: 3 });
    } finally {
      await h.services.dispose();
    }
  });

  it('a label map that loses overlapping voxels is written but not counted saved: the journal stays and the warning comes back', async () => {
    const dir = join(scratch, 'overlap');
    const h = createHarness({ recoveryDir: dir });
    try {
      const scan = await load(h, first);
      const maskId = await paint(h, scan, 1);
      // A model's result appended as a second layer, over voxels 0-9 of the first.
      const model: SegmentDef = { ...lesion, layer: 1, name: 'liver', algorithmType: 'AUTOMATIC' };
      const layered = { layer: 1, runs: new Uint8Array(Uint32Array.from([5, 10, 1]).buffer) };
      valueOf(await h.services.invoke('mask:edit', { maskId, edits: [layered], segments: [lesion, model] }));
      h.answerNextSave(join(scratch, 'overlap.nii.gz'));
      const saved = valueOf(await h.services.invoke('mask:save', { maskId }));
      expect(saved).toMatchObject({ saved: true, complete: false });
      expect(saved.warnings).toContain('5 voxels were in more than one segment; the label map keeps the later one');
      expect((await status(h, maskId)).unsavedEdits).toBe(2);
      expect(readdirSync(dir)).toHaveLength(1);
      // The close guard's Save hears the same: not saved, and why.
      h.answerNextSave(join(scratch, 'overlap.nii.gz'));
      const outcome = await h.services.saveMask(maskId);
      expect(outcome).toMatchObject({ saved: false, fileName: 'overlap.nii.gz' });
      expect(outcome.warnings.join(' ')).toContain('more than one segment');
      // DICOM SEG-free formats aside, saving once the overlap is gone counts as saved.
      valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit([[5, 5, 0]])], segments: [lesion, model] }));
      h.answerNextSave(join(scratch, 'overlap.nii.gz'));
      expect((await h.services.saveMask(maskId)).saved).toBe(true);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await h.services.dispose();
    }
  });

  it('failures reach the screen without ids, paths or system error codes', async () => {
    const dir = join(scratch, 'plain');
    const h = createHarness({ recoveryDir: dir });
    try {
      const unknownScan = await h.services.invoke('volume:load', { scanId: '00000000-0000-4000-8000-000000000000', seriesIndex: 1 });
      expect(unknownScan.ok ? '' : unknownScan.error.message).not.toMatch(/[0-9a-f]{8}-/);
      const unknownJob = await h.services.invoke('segmentation:cancel', { jobId: '00000000-0000-4000-8000-000000000000' });
      expect(unknownJob.ok ? '' : unknownJob.error.message).not.toMatch(/[0-9a-f]{8}-/);

      // A journal written for another grid: the restore fails in words, with no path or 32-hex key.
      const scan = await load(h, first);
      await paint(h, scan, 1);
      const [file] = readdirSync(dir);
      const reopened = await load(h, first);
      const other = createHarness({ recoveryDir: join(scratch, 'plain-other') });
      try {
        const small = join(scratch, 'small.nii.gz');
        await writeNifti(
          createVolume({
            dimensions: [2, 2, 2],
            spacing: [1, 1, 1],
            origin: [0, 0, 0],
            direction: [
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
            ],
            voxels: new Int16Array(8),
            metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
          }),
          small,
        );
        const tiny = await load(other, small);
        const { maskId: tinyMask } = valueOf(await other.services.invoke('mask:create', { volumeId: tiny.volumeId }));
        valueOf(await other.services.invoke('mask:edit', { maskId: tinyMask, edits: [edit([[0, 4, 1]])], segments: [lesion] }));
        writeFileSync(join(dir, file!), readFileSync(join(scratch, 'plain-other', readdirSync(join(scratch, 'plain-other'))[0]!)));
      } finally {
        await other.services.dispose();
      }
      const failed = await h.services.invoke('mask:recover', { volumeId: reopened.volumeId });
      expect(failed).toMatchObject({ ok: false, error: { code: 'RECOVERY_DAMAGED' } });
      const message = failed.ok ? '' : failed.error.message;
      expect(message).toMatch(/^the recovery file was written for a volume of 8 voxels/);
      expect(message).not.toMatch(/[0-9a-f]{32}|axial-recovery|\//);
    } finally {
      await h.services.dispose();
    }
  });

  it('an inference program missing from the installation is said so in words for the screen, not as a build command', async () => {
    const logged: unknown[] = [];
    const h = createHarness({
      startInference: () => {
        throw new AxialError('INFERENCE_CRASHED', `the inference process's module is missing (build with "npx tsc -b")`, {
          file: '/opt/axial/dist/inferenceProcessEntry.js',
        });
      },
      logError: (error) => logged.push(error),
    });
    try {
      const scan = await load(h, first);
      const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: scan.volumeId, model: 'demo', device: 'cpu' }));
      const { result } = await h.waitFor('segmentation:done', (d) => d.jobId === jobId);
      expect(result).toMatchObject({ ok: false, error: { code: 'INFERENCE_CRASHED' } });
      const message = result.ok ? '' : result.error.message;
      expect(message).toContain('missing from this installation');
      expect(message).not.toMatch(/tsc|\/opt/);
      // The developer's detail is logged.
      expect(String(logged[0])).toContain('npx tsc -b');
    } finally {
      await h.services.dispose();
    }
  });

  it('an unreadable recovery file is offered in a plain sentence, its system error code behind Details', () => {
    const offer = { maskName: 'segmentation', savedAt: '2026-01-01T00:00:00Z', edits: 0, dropped: 0, damage: 'The recovery file cannot be read (EACCES).' };
    expect(plainRecovery(offer)).toEqual({ ...offer, damage: 'The recovery file cannot be read.', detail: 'the system refused to read it (EACCES)' });
    const damaged = { ...offer, edits: 3, dropped: 1, damage: 'record 5 fails its checksum' };
    expect(plainRecovery(damaged)).toBe(damaged);
    expect(plainRecovery(null)).toBeNull();
  });
});
