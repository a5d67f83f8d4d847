import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertOutputFolder } from '../../../main/io/assertOutputFolder.js';
import { expectAxialError } from '../../expectAxialError.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-output-folder-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('assertOutputFolder', () => {
  it('passes a writable folder, whether or not the output is there yet', async () => {
    await assertOutputFolder(join(folder, 'new.nii'));
    writeFileSync(join(folder, 'old.nii'), '');
    await assertOutputFolder(join(folder, 'old.nii'));
  });

  it('refuses a missing folder, a file in its place and a write-protected output, naming them', async () => {
    const missing = join(folder, 'nodir', 'out.nii');
    expect((await expectAxialError(assertOutputFolder(missing), 'OUTPUT_WRITE_FAILED')).message).toBe(
      `${missing}: cannot write: the folder ${join(folder, 'nodir')} does not exist`,
    );
    writeFileSync(join(folder, 'plain'), '');
    const underFile = join(folder, 'plain', 'out.nii');
    expect((await expectAxialError(assertOutputFolder(underFile), 'OUTPUT_WRITE_FAILED')).message).toBe(
      `${underFile}: cannot write: ${join(folder, 'plain')} is not a folder`,
    );
    const deeper = join(folder, 'plain', 'sub', 'out.nii');
    expect((await expectAxialError(assertOutputFolder(deeper), 'OUTPUT_WRITE_FAILED')).message).toBe(
      `${deeper}: cannot write: ${join(folder, 'plain', 'sub')} is not a folder (part of the path is a file)`,
    );
    const protectedFile = join(folder, 'ro.nii');
    writeFileSync(protectedFile, '');
    chmodSync(protectedFile, 0o400);
    expect((await expectAxialError(assertOutputFolder(protectedFile), 'OUTPUT_WRITE_FAILED')).message).toMatch(/write-protected \(mode 400\)/);
  });

  // Root may create files anywhere, so a read-only folder stops only another user.
  it.skipIf(process.getuid?.() === 0)('refuses a folder this user may not write into', async () => {
    const locked = join(folder, 'locked');
    mkdirSync(locked, 0o555);
    const path = join(locked, 'out.nii');
    expect((await expectAxialError(assertOutputFolder(path), 'OUTPUT_WRITE_FAILED')).message).toBe(
      `${path}: cannot write: this user may not create files in the folder ${locked}`,
    );
  });
});
