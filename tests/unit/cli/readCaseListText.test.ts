import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaseListText } from '../../../main/cli/readCaseListText.js';
import { listBatchCases } from '../../../main/cli/listBatchCases.js';
import { fifo, within } from '../../fifo.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-case-list-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readCaseListText', () => {
  it('refuses a list past 64 MiB by its size, before reading it (a sparse 1 GiB file)', async () => {
    const huge = join(scratch, 'huge.txt');
    writeFileSync(huge, '');
    truncateSync(huge, 2 ** 30);
    await expect(readCaseListText(huge)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', message: expect.stringMatching(/1073741824 bytes/) });
    // The plain text list of a batch goes through the same reader.
    await expect(listBatchCases(huge)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
  });

  it('drops a byte order mark, and names a list it cannot read', async () => {
    const list = join(scratch, 'list.txt');
    writeFileSync(list, '\uFEFFa.nii.gz\n');
    expect(await readCaseListText(list)).toBe('a.nii.gz\n');
    await expect(readCaseListText(join(scratch, 'missing.txt'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO named as the list at once, with INPUT_NOT_A_FILE', async () => {
    const pipe = fifo.make(join(scratch, 'cases.csv'));
    try {
      // Generous: a refusal takes milliseconds; a FIFO without a writer would never answer.
      const outcome = await within(
        readCaseListText(pipe).catch((error: unknown) => error),
        20_000,
      );
      expect(outcome).toMatchObject({ code: 'INPUT_NOT_A_FILE', message: expect.stringContaining('FIFO') });
    } finally {
      fifo.release(pipe);
    }
  });
});
