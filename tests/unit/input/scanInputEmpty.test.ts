import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanInput } from '../../../main/input/scanInput.js';
import { expectAxialError } from '../../expectAxialError.js';

const root = mkdtempSync(join(tmpdir(), 'axial-scan-empty-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scanInput on a folder with nothing in it', () => {
  it('refuses an empty folder with DICOM_NO_IMAGES naming it, as an empty file is refused (it gave no series and no error)', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const error = await expectAxialError(scanInput(empty), 'DICOM_NO_IMAGES');
    expect(error.file).toBe(empty);
  });

  it('refuses a folder holding only empty subfolders the same way', async () => {
    const nested = join(root, 'nested');
    mkdirSync(join(nested, 'a', 'b'), { recursive: true });
    await expectAxialError(scanInput(nested), 'DICOM_NO_IMAGES');
  });

  it('still refuses a folder of files that are not images with DICOM_NO_IMAGES', async () => {
    const text = join(root, 'text');
    mkdirSync(text);
    writeFileSync(join(text, 'notes.txt'), 'not an image\n');
    await expectAxialError(scanInput(text), 'DICOM_NO_IMAGES');
  });
});
