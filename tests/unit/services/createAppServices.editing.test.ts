import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelEdit, SegmentDef, VolumeHeader } from '../../../core/contract.js';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-editing-'));
const recoveryDir = join(scratch, 'recovery');
const [ni, nj] = [512, 512];
const at = (i: number, j: number, k: number): number => i + ni * (j + nj * k);

/** A run-length edit: (start, count, value) triples as the renderer sends them. */
function edit(layer: number, runs: readonly (readonly [number, number, number])[]): LabelEdit {
  return { layer, runs: new Uint8Array(Uint32Array.from(runs.flat()).buffer) };
}

const liver: SegmentDef = { layer: 0, value: 1, name: 'liver', colour: [200, 80, 60], algorithmType: 'MANUAL', locked: false };
const lesion: SegmentDef = { layer: 0, value: 2, name: 'lesion', colour: [60, 200, 80], algorithmType: 'MANUAL', locked: false };
/** A 20×10 block on slice 10 (rows j 250–259, columns i 100–119) and a 300-voxel run on slice 11. */
const block = Array.from({ length: 10 }, (_, r) => [at(100, 250 + r, 10), 20, 1] as const);
const run = [[at(0, 300, 11), 300, 2]] as const;

async function loadCt(h: Harness): Promise<VolumeHeader> {
  h.answerNextOpen(sharedData('dicom/ct-abdomen-j2k'));
  const scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }))!;
  return valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
}

describe.skipIf(!hasSharedData)(`createAppServices: editing, statistics, exports and crash recovery (${noSharedDataReason})`, () => {
  let h: Harness;
  let ct: VolumeHeader;
  let hu: Int16Array;

  beforeAll(async () => {
    h = createHarness({ recoveryDir });
    ct = await loadCt(h);
    const bytes = h.services.getData('volume', ct.volumeId)!;
    hu = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  });
  afterAll(async () => {
    await h.services.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts with no recovery, creates an empty mask, applies edits and answers statistics of the edited voxels', async () => {
    expect(ct.recovery).toBeNull();
    expect(ct.format).toBe('dicom');
    const mask = valueOf(await h.services.invoke('mask:create', { volumeId: ct.volumeId }));
    expect(mask.segments).toEqual([]);
    const { segments } = valueOf(
      await h.services.invoke('mask:edit', { maskId: mask.maskId, edits: [edit(0, block), edit(0, run)], segments: [liver, lesion] }),
    );
    const values = (runs: readonly (readonly [number, number, number])[]): number[] => runs.flatMap(([s, n]) => Array.from(hu.subarray(s, s + n)));
    for (const [segment, voxels] of [
      [segments[0]!, values(block)],
      [segments[1]!, values(run)],
    ] as const) {
      const mean = voxels.reduce((a, b) => a + b, 0) / voxels.length;
      const sd = Math.sqrt(voxels.reduce((a, b) => a + (b - mean) ** 2, 0) / voxels.length);
      expect(segment.voxels).toBe(voxels.length);
      expect(segment.mean).toBeCloseTo(mean, 9);
      expect(segment.sd).toBeCloseTo(sd, 9);
      expect(segment.min).toBe(Math.min(...voxels));
      expect(segment.max).toBe(Math.max(...voxels));
    }
    expect(segments[0]!.voxels).toBe(200);
    expect(segments[0]!.volumeMl).toBeCloseTo((200 * 0.9765625 ** 2 * 2) / 1000, 12);

    // Erasing half the block changes the answer.
    const erased = valueOf(
      await h.services.invoke('mask:edit', {
        maskId: mask.maskId,
        edits: [
          edit(
            0,
            block.slice(0, 5).map(([s, n]) => [s, n, 0] as const),
          ),
        ],
        segments: [liver, lesion],
      }),
    );
    expect(erased.segments[0]!.voxels).toBe(100);
    expect(h.services.getData('mask', `${mask.maskId}:0`)![at(105, 252, 10)]).toBe(0);
  });

  it('refuses an edit that leaves the volume, changing nothing', async () => {
    const mask = valueOf(await h.services.invoke('mask:create', { volumeId: ct.volumeId }));
    const result = await h.services.invoke('mask:edit', {
      maskId: mask.maskId,
      edits: [edit(0, [[0, 5, 1]]), edit(0, [[ni * nj * 20 - 2, 5, 1]])],
      segments: [liver],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS', message: expect.stringMatching(/leaves the volume/) } });
    expect(
      h.services
        .getData('mask', `${mask.maskId}:0`)!
        .subarray(0, 5)
        .every((v) => v === 0),
    ).toBe(true);
  });

  it('exports NRRD, CSV and JSON with the same labels and statistics', async () => {
    const mask = valueOf(await h.services.invoke('mask:create', { volumeId: ct.volumeId }));
    const { segments } = valueOf(
      await h.services.invoke('mask:edit', { maskId: mask.maskId, edits: [edit(0, block), edit(0, run)], segments: [liver, lesion] }),
    );
    h.answerNextSave(join(scratch, 'labels'));
    expect(valueOf(await h.services.invoke('mask:export', { maskId: mask.maskId, format: 'nrrd' }))).toEqual({
      saved: true,
      fileName: 'labels.nrrd',
      warnings: [],
      complete: true,
    });
    const nrrd = (await readNrrd(join(scratch, 'labels.nrrd'))).volume;
    expect(nrrd.origin.map((v, n) => v - ct.origin[n]!).every((d) => Math.abs(d) < 1e-4)).toBe(true);
    expect(
      Buffer.from(nrrd.voxels.buffer, nrrd.voxels.byteOffset, nrrd.voxels.byteLength).equals(Buffer.from(h.services.getData('mask', `${mask.maskId}:0`)!)),
    ).toBe(true);

    // The Slicer choice: the name gets .seg.nrrd, and the header names the segments as the table does.
    h.answerNextSave(join(scratch, 'organs'));
    expect(valueOf(await h.services.invoke('mask:export', { maskId: mask.maskId, format: 'slicer-seg' }))).toMatchObject({
      saved: true,
      fileName: 'organs.seg.nrrd',
    });
    const header = readFileSync(join(scratch, 'organs.seg.nrrd')).subarray(0, 4096).toString('latin1');
    expect(header).toContain(`Segment0_Name:=${liver.name}`);
    expect(header).toContain(`Segment1_Name:=${lesion.name}`);
    expect(readdirSync(scratch)).not.toContain('organs.label.txt');

    h.answerNextSave(join(scratch, 'stats.csv'));
    valueOf(await h.services.invoke('mask:export', { maskId: mask.maskId, format: 'stats-csv' }));
    const csv = readFileSync(join(scratch, 'stats.csv'), 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('segment,name,layer,label,voxels,volume_ml,mean,sd,min,max,units');
    expect(csv[1]).toBe(
      ['1', 'liver', '0', '1', '200', segments[0]!.volumeMl, segments[0]!.mean, segments[0]!.sd, segments[0]!.min, segments[0]!.max, 'HU'].join(','),
    );

    h.answerNextSave(join(scratch, 'stats'));
    expect(valueOf(await h.services.invoke('mask:export', { maskId: mask.maskId, format: 'stats-json' }))).toMatchObject({ fileName: 'stats.json' });
    const json = JSON.parse(readFileSync(join(scratch, 'stats.json'), 'utf8')) as { units: string; segments: { name: string; voxels: number; mean: number }[] };
    expect(json.units).toBe('HU');
    expect(json.segments.map((s) => [s.name, s.voxels, s.mean])).toEqual(segments.map((s) => [s.name, s.voxels, s.mean]));
  });

  it('journals unsaved edits: after a crash the same series offers them, and restoring gives the same labels and table', async () => {
    const mask = valueOf(await h.services.invoke('mask:create', { volumeId: ct.volumeId }));
    valueOf(await h.services.invoke('mask:edit', { maskId: mask.maskId, edits: [edit(0, block)], segments: [liver] }));
    const renamed = { ...lesion, name: 'renamed lesion', locked: true };
    valueOf(await h.services.invoke('mask:edit', { maskId: mask.maskId, edits: [edit(0, run)], segments: [liver, renamed] }));
    const before = Buffer.from(h.services.getData('mask', `${mask.maskId}:0`)!);

    // A second app instance, as after a crash: nothing was exported, the journal is all there is.
    const after = createHarness({ recoveryDir });
    try {
      const reopened = await loadCt(after);
      expect(reopened.recovery).toMatchObject({ maskName: `${ct.description} segmentation`, edits: 2 });
      const restored = valueOf(await after.services.invoke('mask:recover', { volumeId: reopened.volumeId }));
      expect(restored.segments.map((s) => [s.name, s.locked, s.voxels])).toEqual([
        ['liver', false, 200],
        ['renamed lesion', true, 300],
      ]);
      expect(Buffer.from(after.services.getData('mask', `${restored.maskId}:0`)!).equals(before)).toBe(true);

      // A record cut short by the crash is ignored; what came before it is kept.
      const journal = join(recoveryDir, readdirOne(recoveryDir));
      writeFileSync(journal, Buffer.concat([readFileSync(journal), Buffer.from([40, 0, 0, 0, 123])]));
      expect((await loadCt(after)).recovery).toMatchObject({ edits: 2 });

      // Saving the segmentation ends the journal.
      after.answerNextSave(join(scratch, 'saved.nii.gz'));
      valueOf(await after.services.invoke('mask:export', { maskId: restored.maskId, format: 'nifti' }));
      expect((await loadCt(after)).recovery).toBeNull();
    } finally {
      await after.services.dispose();
    }
  });
});

function readdirOne(dir: string): string {
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  return files[0]!;
}
