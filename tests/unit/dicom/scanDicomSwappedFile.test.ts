import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDicomFiles } from '../../../main/dicom/findDicomFiles.js';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { tinyImage } from './buildHostileDicom.js';

// The scan reads each header synchronously (readFileRegionSync): a file swapped for a FIFO after the folder was listed
// must be refused on its open handle, never waited on.
describe.skipIf(process.platform === 'win32')('scanDicom on a file swapped after the folder was listed', () => {
  const folder = mkdtempSync(join(tmpdir(), 'axial-scan-swapped-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('skips a FIFO in place of a listed file with INPUT_NOT_A_FILE, and still reads the good one', async () => {
    writeFileSync(join(folder, 'a.dcm'), tinyImage());
    writeFileSync(join(folder, 'b.dcm'), tinyImage());
    const files = await findDicomFiles(folder);
    rmSync(join(folder, 'b.dcm'));
    execFileSync('mkfifo', [join(folder, 'b.dcm')]);
    const scan = await scanDicom(folder, files);
    expect(scan.series.map((s) => s.slices.length)).toEqual([1]);
    expect(scan.skipped).toEqual([
      { file: join(folder, 'b.dcm'), reason: `INPUT_NOT_A_FILE: ${join(folder, 'b.dcm')}: a FIFO (named pipe), not a regular file` },
    ]);
  });

  it('throws INPUT_NOT_A_FILE for a single file swapped for a FIFO', async () => {
    const path = join(folder, 'single.dcm');
    writeFileSync(path, tinyImage());
    const files = await findDicomFiles(path);
    rmSync(path);
    execFileSync('mkfifo', [path]);
    await expect(scanDicom(path, files)).rejects.toMatchObject({ code: 'INPUT_NOT_A_FILE', file: path });
  });
});
