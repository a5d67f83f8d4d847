import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertOutputFolder } from '../../../main/io/assertOutputFolder.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { expectAxialError } from '../../expectAxialError.js';
import { repoRoot } from '../../repoRoot.js';
import { tinyVolume } from '../../tinyVolume.js';

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

  // Root may create files anywhere, so under root the check runs as user nobody, through the CLI.
  it('refuses a folder this user may not write into, before reading the input', async () => {
    const open = mkdtempSync('/tmp/axial-locked-');
    try {
      chmodSync(open, 0o755);
      const input = join(open, 'in.nii');
      await writeNifti(tinyVolume([2, 2, 2]), input);
      chmodSync(input, 0o644);
      const locked = join(open, 'locked');
      mkdirSync(locked, 0o555);
      const path = join(locked, 'out.nii');
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const run = spawnSync(process.execPath, [join(repoRoot, 'dist', 'main', 'cli', 'axial.js'), 'convert', input, path], { ...asUser, encoding: 'utf8' });
      expect(run.stderr).toBe(`axial: error OUTPUT_WRITE_FAILED: ${path}: cannot write: this user may not create files in the folder ${locked}\n`);
      expect(run.status).toBe(1);
    } finally {
      rmSync(open, { recursive: true, force: true });
    }
  });
});
