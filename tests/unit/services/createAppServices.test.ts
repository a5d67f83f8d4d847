import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, type Channel, type VolumeHeader } from '../../../core/contract.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { valueRange } from '../../../main/volume/valueRange.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-services-'));
const ctFolder = sharedData('dicom/ct-abdomen-j2k');

/** A valid payload for every channel, to which a test adds what must be refused. */
const validPayloads: { [C in Channel]: unknown } = {
  'app:ping': {},
  'settings:get': {},
  'settings:set': { decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: false },
  'volume:open': { source: 'file' },
  'volume:load': { scanId: 'x', seriesIndex: 1 },
  'volume:cancel': {},
  'mask:open': { volumeId: 'x' },
  'mask:create': { volumeId: 'x' },
  'mask:edit': { maskId: 'x', edits: [{ layer: 0, runs: new Uint8Array(12) }], segments: [] },
  'mask:statistics': { maskId: 'x', volumeId: 'x' },
  'mask:recover': { volumeId: 'x' },
  'mask:discardRecovery': { volumeId: 'x' },
  'mask:status': { maskId: 'x' },
  'mask:save': { maskId: 'x' },
  'mask:discard': { maskId: 'x' },
  'mask:keep': { maskId: 'x' },
  'mask:close': { maskId: 'x' },
  'model:inputs': { volumeId: 'x', model: 'demo' },
  'segmentation:run': { volumeId: 'x', model: 'demo', device: 'cpu' },
  'segmentation:cancel': { jobId: 'x' },
  'mask:export': { maskId: 'x', format: 'nifti' },
  'view:exportPng': { png: new Uint8Array([1]), suggestedName: 'a.png' },
  'view:exportMovie': { webm: new Uint8Array([1]), suggestedName: 'a.webm' },
  'measurements:save': { volumeId: 'x', measurements: [] },
  'measurements:export': { volumeId: 'x', format: 'csv' },
  'studies:list': { search: 'x' },
  'studies:remove': { key: 'x' },
  'studies:open': { key: 'x' },
};

describe('createAppServices: payload validation', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness();
  });
  afterAll(() => h.services.dispose());

  it('refuses an unknown channel, including names inherited from Object', async () => {
    for (const channel of ['volume:delete', 'constructor', '__proto__', 'toString']) {
      const result = await h.services.invoke(channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    }
  });

  it.each([
    ['volume:load', { scanId: '', seriesIndex: 1 }, 'scanId'],
    ['volume:load', { scanId: 'a', seriesIndex: 0 }, 'seriesIndex'],
    ['volume:open', { source: 'url' }, 'source'],
    ['segmentation:run', { volumeId: 'a', model: 'demo', device: 'tpu' }, 'device'],
    ['view:exportPng', { png: [137, 80], suggestedName: 'a.png' }, 'png'],
    ['mask:open', null, '(payload)'],
    ['settings:set', { decodeThreads: 0, philipsScaling: 'precise', measurementsBesideStudy: false }, 'decodeThreads'],
    ['settings:set', { decodeThreads: null, philipsScaling: 'raw' }, 'philipsScaling'],
  ])('refuses bad arguments for %s with IPC_INVALID_ARGUMENTS naming the field', async (channel, payload, field) => {
    const result = await h.services.invoke(channel, payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('IPC_INVALID_ARGUMENTS');
    expect(result.error.message).toContain(field);
  });

  it('makes a path in any payload impossible: every schema refuses extra keys', async () => {
    expect(channelNames.sort()).toEqual(Object.keys(validPayloads).sort());
    for (const channel of channelNames) {
      for (const key of ['path', 'file', 'outputPath']) {
        const payload = { ...(validPayloads[channel] as object), [key]: '/etc/passwd' };
        const result = await h.services.invoke(channel, payload);
        expect(result, `${channel} with ${key}`).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
      }
    }
    expect(h.openRequests).toEqual([]);
    expect(h.saveRequests).toEqual([]);
  });

  it('answers unknown ids with UNKNOWN_ID and a cancelled dialog with null', async () => {
    for (const channel of [
      'volume:load',
      'mask:open',
      'segmentation:run',
      'segmentation:cancel',
      'mask:export',
      'mask:status',
      'mask:save',
      'mask:discard',
      'mask:keep',
    ] as const) {
      const result = await h.services.invoke(channel, validPayloads[channel]);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ID' } });
    }
    // A forgotten mask is nothing to close; the answer says so rather than failing.
    expect(await h.services.invoke('mask:close', validPayloads['mask:close'])).toEqual({ ok: true, value: { closed: false } });
    h.answerNextOpen(undefined);
    expect(await h.services.invoke('volume:open', { source: 'folder' })).toEqual({ ok: true, value: null });
    expect(h.openRequests).toEqual(['folder']);
  });

  it('takes a dropped path only through a one-use token', async () => {
    expect(await h.services.invoke('volume:open', { source: 'drop' })).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
    expect(await h.services.invoke('volume:open', { source: 'file', dropToken: 'x' })).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
    expect(await h.services.invoke('volume:open', { source: 'drop', dropToken: 'forged' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ID' } });
    const missing = h.registerDrop(join(scratch, 'not-there.nii.gz'));
    expect(await h.services.invoke('volume:open', { source: 'drop', dropToken: missing })).toMatchObject({ ok: false, error: { code: 'INPUT_NOT_FOUND' } });
    expect(await h.services.invoke('volume:open', { source: 'drop', dropToken: missing })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ID' } });
  });

  it('refuses PNG or WebM export of bytes that are not one before asking where to save', async () => {
    const result = await h.services.invoke('view:exportPng', { png: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), suggestedName: 'x.png' });
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
    const movie = await h.services.invoke('view:exportMovie', { webm: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]), suggestedName: 'x.webm' });
    expect(movie).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS', message: expect.stringMatching(/not WebM/) } });
    expect(h.saveRequests).toEqual([]);
  });

  it('turns an unexpected error into INTERNAL with one line and no stack', async () => {
    const failing = createHarness({
      chooseOpenPath: () => Promise.reject(new TypeError('boom\n    at secret (/home/x/file.js:1:1)')),
    });
    const result = await failing.services.invoke('volume:open', { source: 'file' });
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'volume:open failed unexpectedly: boom' } });
  });
});

describe.skipIf(!hasSharedData)(`createAppServices: volumes (${noSharedDataReason})`, () => {
  let h: Harness;
  let header: VolumeHeader;
  beforeAll(async () => {
    h = createHarness();
    h.answerNextOpen(ctFolder);
    const scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }));
    expect(scan).toMatchObject({ name: 'ct-abdomen-j2k', skipped: 0 });
    expect(scan!.series).toEqual([
      {
        index: 1,
        uid: expect.any(String),
        description: 'CT Body 3.0',
        modality: 'CT',
        format: 'dicom',
        files: 20,
        timePoints: 1,
        images: 20,
        dimensions: [512, 512, 20],
      },
    ]);
    header = valueOf(await h.services.invoke('volume:load', { scanId: scan!.scanId, seriesIndex: 1 }));
  });
  afterAll(async () => {
    await h.services.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('loads ct-abdomen-j2k into the header dcm2niix’s conversion agrees with', async () => {
    const reference = (await readNifti(sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz'))).volume;
    expect(header).toMatchObject({
      dimensions: [512, 512, 20],
      spacing: [0.9765625, 0.9765625, 2],
      dataType: 'int16',
      units: 'HU',
      modality: 'CT',
      description: 'CT Body 3.0',
      invertDisplay: false,
      warnings: [],
      dataUrl: `test-data://volume/${header.volumeId}`,
    });
    expect(header.direction).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(header.origin.map((x) => +x.toFixed(4))).toEqual([-249.5117, -437.5117, -804.5]);
    expect(header.range).toEqual(valueRange(reference));
    // The file's own windows, named as users know them (its WINDOW1/WINDOW2 explanations mean nothing to them); the renderer adds the CT presets.
    expect(header.windowPresets).toEqual([
      { center: 40, width: 300, name: 'File 1' },
      { center: 300, width: 1500, name: 'File 2' },
    ]);
    const details = Object.fromEntries(header.details);
    expect(Object.keys(details)).toEqual([
      'Patient',
      'Study',
      'Series',
      'Modality',
      'Source format',
      'Files',
      'Orientation',
      'Dimensions',
      'Spacing',
      'Value range',
    ]);
    expect(details).toMatchObject({ Modality: 'CT', 'Source format': 'DICOM', Files: '20', Orientation: 'LPS', Spacing: '0.977 × 0.977 × 2.000 mm' });
  });

  it('serves the voxels as a view of the volume’s own bytes', async () => {
    const bytes = h.services.getData('volume', header.volumeId)!;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.byteLength).toBe(512 * 512 * 20 * 2);
    expect(h.services.getData('volume', header.volumeId)!.buffer).toBe(bytes.buffer);
    const reference = (await readNifti(sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz'))).volume;
    const voxels = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    const sum = (v: ArrayLike<number>): number => {
      let total = 0;
      for (let n = 0; n < v.length; n++) total += v[n]!;
      return total;
    };
    expect(sum(voxels)).toBe(sum(reference.voxels));
    expect(h.services.getData('volume', 'nope')).toBeUndefined();
    expect(h.services.getData('mask', header.volumeId)).toBeUndefined();
  });

  it('writes a PNG where the user chose, with a safe suggested name', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    h.answerNextSave(join(scratch, 'view'));
    const saved = valueOf(await h.services.invoke('view:exportPng', { png, suggestedName: '../../etc/axial:view.png' }));
    expect(saved).toEqual({ saved: true, fileName: 'view.png' });
    expect(h.saveRequests.at(-1)).toEqual({ suggestedName: 'axial_view.png', filters: [{ name: 'PNG image', extensions: ['png'] }] });
    expect(new Uint8Array(readFileSync(join(scratch, 'view.png')))).toEqual(png);
    h.answerNextSave(undefined);
    expect(valueOf(await h.services.invoke('view:exportPng', { png, suggestedName: 'x' }))).toEqual({ saved: false });

    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3]);
    h.answerNextSave(join(scratch, 'cine'));
    expect(valueOf(await h.services.invoke('view:exportMovie', { webm, suggestedName: 'CT/axial.webm' }))).toEqual({ saved: true, fileName: 'cine.webm' });
    expect(h.saveRequests.at(-1)).toEqual({ suggestedName: 'axial.webm', filters: [{ name: 'WebM movie', extensions: ['webm'] }] });
    expect(new Uint8Array(readFileSync(join(scratch, 'cine.webm')))).toEqual(webm);
  });

  it('says each of a series’ warnings once', async () => {
    // Slice 11 of 20 left out: one gap, found when the folder is scanned and carried into the load.
    const gapped = join(scratch, 'gapped');
    mkdirSync(gapped);
    readdirSync(ctFolder)
      .sort()
      .forEach((name, i) => i !== 10 && copyFileSync(join(ctFolder, name), join(gapped, name)));
    h.answerNextOpen(gapped);
    const scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }));
    const loaded = valueOf(await h.services.invoke('volume:load', { scanId: scan!.scanId, seriesIndex: 1 }));
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/^gap in the slices \(usual spacing 2\.000 mm\)/);
  });
});
