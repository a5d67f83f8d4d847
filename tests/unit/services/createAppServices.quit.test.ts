import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mat3 } from '../../../core/geometry/types.js';
import type { AppServiceDeps } from '../../../main/services/AppServices.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume } from '../../../main/volume/Volume.js';
import { fifo, within } from '../../fifo.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-quit-'));
let scan: string;

beforeAll(async () => {
  scan = join(scratch, 'scan.nii.gz');
  const voxels = Int16Array.from({ length: 27 }, (_, n) => n);
  const direction: Mat3 = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const metadata = { format: 'nifti', windowPresets: [], fileCount: 1 } as const;
  await writeNifti(createVolume({ dimensions: [3, 3, 3], spacing: [1, 1, 1], origin: [0, 0, 0], direction, voxels, metadata }), scan);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Generous limits that catch a hang: each call here takes milliseconds. */
const hangMs = 20_000;

async function loadScan(h: Harness): Promise<string> {
  h.answerNextOpen(scan);
  const { scanId, series } = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
  return valueOf(await h.services.invoke('volume:load', { scanId, seriesIndex: series[0]!.index })).volumeId;
}

/** A save dialog the spec answers when it chooses, as the user does. */
function slowSaveDialog(): { chooseSavePath: AppServiceDeps['chooseSavePath']; answer(path: string | undefined): void } {
  let answer: (path: string | undefined) => void = () => undefined;
  const answered = new Promise<string | undefined>((done) => (answer = done));
  return { chooseSavePath: () => answered, answer: (path) => answer(path) };
}

describe.skipIf(process.platform === 'win32')('createAppServices: a FIFO picked as a segmentation', () => {
  it('answers mask:open with INPUT_NOT_A_FILE at once, and dispose (what quitting awaits) still ends', async () => {
    const pipe = fifo.make(join(scratch, 'labels.nii.gz'));
    const h = createHarness();
    try {
      const volumeId = await loadScan(h);
      h.answerNextOpen(pipe);
      const answer = await within(h.services.invoke('mask:open', { volumeId }), hangMs);
      expect(answer).toMatchObject({ ok: false, error: { code: 'INPUT_NOT_A_FILE', message: expect.stringContaining('FIFO') } });
      // Another file operation of main still goes through: no thread of the pool was left waiting on the pipe.
      const settings = { decodeThreads: 2, philipsScaling: 'precise', measurementsBesideStudy: false } as const;
      expect(await within(h.services.invoke('settings:set', settings), hangMs)).toEqual({ ok: true, value: settings });
      expect(await within(h.services.dispose(), hangMs)).toBeUndefined();
    } finally {
      fifo.release(pipe);
      await h.services.dispose();
    }
  });
});

describe('createAppServices: dispose waits for the writes under way', () => {
  it('writes an export still under way when dispose is called, before dispose ends', async () => {
    const dialog = slowSaveDialog();
    const h = createHarness({ chooseSavePath: dialog.chooseSavePath });
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array<number>(1 << 20).fill(7)]);
    const target = join(scratch, 'view.png');
    const exporting = h.services.invoke('view:exportPng', { png, suggestedName: 'view' });
    const disposing = h.services.dispose();
    dialog.answer(target);
    expect(await within(disposing, hangMs)).toBeUndefined();
    // Read before the export's own answer is awaited: quitting follows dispose, not the call.
    expect(Buffer.from(readFileSync(target)).equals(Buffer.from(png))).toBe(true);
    expect(await exporting).toEqual({ ok: true, value: { saved: true, fileName: 'view.png' } });
  });

  it('ends anyway when a call never finishes (a save dialog never answered), after its bounded wait', async () => {
    const dialog = slowSaveDialog();
    const h = createHarness({ chooseSavePath: dialog.chooseSavePath });
    void h.services.invoke('view:exportPng', { png: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), suggestedName: 'never' });
    expect(await within(h.services.dispose(), 40_000)).toBeUndefined();
  });
});
