import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openMaskFile } from '../../../main/loader/openMaskFile.js';
import { fifo, within } from '../../fifo.js';
import { tinyVolume } from '../../tinyVolume.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-openMaskFifo-'));
const made: string[] = [];
afterEach(() => made.splice(0).forEach(fifo.release));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const grid = tinyVolume([2, 2, 2]);

/** What `promise` rejects with, or 'hung' (generous: a refusal takes milliseconds, a FIFO with no writer never answers). */
const outcome = (promise: Promise<unknown>): Promise<unknown> =>
  within(
    promise.catch((error: unknown) => error),
    20_000,
  );

/** A segmentation picked in the Open dialog can be anything the dialog lists: a named pipe must be refused at once. */
describe.skipIf(process.platform === 'win32')('opening a FIFO as a segmentation', () => {
  it.each(['labels.nii.gz', 'seg.dcm', 'labels.nrrd'])('openMaskFile refuses %s, a FIFO, with INPUT_NOT_A_FILE', async (name) => {
    const path = fifo.make(join(scratch, name));
    made.push(path);
    expect(await outcome(openMaskFile(path, grid))).toMatchObject({ code: 'INPUT_NOT_A_FILE', message: expect.stringContaining('FIFO') });
  });
});
