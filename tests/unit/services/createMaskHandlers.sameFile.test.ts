import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

/** The first write of each labels…nii.gz is held until released, as a large file compressing slowly. */
const gate = vi.hoisted(() => {
  let release: () => void = () => undefined;
  let held = Promise.resolve();
  /** Holds the next first write until `release`. */
  const arm = (): void => {
    held = new Promise<void>((done) => (release = done));
  };
  return { arm, held: () => held, release: () => release(), written: new Set<string>() };
});
vi.mock('../../../main/io/writeFileAtomic.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/io/writeFileAtomic.js')>();
  return {
    ...real,
    writeFileAtomic: async (path: string, chunks: readonly Uint8Array[], inputs?: readonly string[]) => {
      if (/labels[^/]*\.nii\.gz$/.test(path) && !gate.written.has(path)) {
        gate.written.add(path);
        await gate.held();
      }
      return real.writeFileAtomic(path, chunks, inputs);
    },
  };
});

import type { LabelEdit, SegmentDef } from '../../../core/contract.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createHarness, valueOf } from './appServicesHarness.js';
import { tinyVolume } from '../../tinyVolume.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-same-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const lesion: SegmentDef = { layer: 0, value: 1, name: 'lesion', colour: [1, 2, 3], algorithmType: 'MANUAL', locked: false };
const paintAt = (start: number): LabelEdit[] => [{ layer: 0, runs: new Uint8Array(Uint32Array.from([start, 10, 1]).buffer) }];

describe('createMaskHandlers: two saves to the same file', () => {
  it('the second waits for the first, so the file ends with the newer edits and nothing is counted saved that is not in it', async () => {
    const scan = join(scratch, 'scan.nii.gz');
    await writeNifti(tinyVolume([20, 20, 20]), scan);
    const recovery = join(scratch, 'recovery');
    const h = createHarness({ recoveryDir: recovery });
    try {
      h.answerNextOpen(scan);
      const opened = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
      const { volumeId } = valueOf(await h.services.invoke('volume:load', { scanId: opened.scanId, seriesIndex: 1 }));
      const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId }));
      for (let k = 0; k < 5; k++) valueOf(await h.services.invoke('mask:edit', { maskId, edits: paintAt(k * 100), segments: [lesion] }));
      const target = join(scratch, 'labels.nii.gz');
      gate.arm();
      h.answerNextSave(target);
      const older = h.services.invoke('mask:save', { maskId });
      await new Promise((done) => setTimeout(done, 50));
      valueOf(await h.services.invoke('mask:edit', { maskId, edits: paintAt(3000), segments: [lesion] }));
      h.answerNextSave(target);
      const newer = h.services.invoke('mask:save', { maskId });
      await new Promise((done) => setTimeout(done, 50));
      gate.release();
      expect(valueOf(await older)).toMatchObject({ saved: true, complete: true });
      expect(valueOf(await newer)).toMatchObject({ saved: true, complete: true });
      // Before, the held (older) save renamed last: the file lacked the sixth edit, nothing was unsaved, the journal was gone.
      expect((await readNifti(target)).volume.voxels[3005]).toBe(1);
      expect(valueOf(await h.services.invoke('mask:status', { maskId })).unsavedEdits).toBe(0);
      expect(readdirSync(recovery)).toEqual([]);
    } finally {
      await h.services.dispose();
    }
  });

  it('two masks saved to one file are written in turn too: the file holds the one saved last', async () => {
    const scan = join(scratch, 'scan.nii.gz');
    const h = createHarness({ recoveryDir: join(scratch, 'recovery-two') });
    try {
      h.answerNextOpen(scan);
      const opened = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
      const { volumeId } = valueOf(await h.services.invoke('volume:load', { scanId: opened.scanId, seriesIndex: 1 }));
      const first = valueOf(await h.services.invoke('mask:create', { volumeId })).maskId;
      const second = valueOf(await h.services.invoke('mask:create', { volumeId })).maskId;
      valueOf(await h.services.invoke('mask:edit', { maskId: first, edits: paintAt(100), segments: [lesion] }));
      valueOf(await h.services.invoke('mask:edit', { maskId: second, edits: paintAt(3000), segments: [lesion] }));
      const target = join(scratch, 'labels-two.nii.gz');
      gate.arm();
      h.answerNextSave(target);
      const older = h.services.invoke('mask:save', { maskId: first });
      await new Promise((done) => setTimeout(done, 50));
      h.answerNextSave(target);
      const newer = h.services.invoke('mask:save', { maskId: second });
      await new Promise((done) => setTimeout(done, 50));
      gate.release();
      valueOf(await older);
      valueOf(await newer);
      const voxels = (await readNifti(target)).volume.voxels;
      expect([voxels[105], voxels[3005]]).toEqual([0, 1]);
    } finally {
      await h.services.dispose();
    }
  });
});
