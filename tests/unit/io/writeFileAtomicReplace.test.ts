import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../main/io/writeFileAtomic.js';
import { expectAxialError } from '../../expectAxialError.js';

/**
 * An output already there is replaced, as nibabel and ITK replace it, and keeps its permission bits; a
 * write-protected one (no write bit, which stops root too) is refused and left as it was. A failed write names the
 * output and its folder, never the hidden temporary file it went through.
 */
const folder = mkdtempSync(join(tmpdir(), 'axial-write-replace-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const bytes = (text: string): Uint8Array[] => [new TextEncoder().encode(text)];

describe('writeFileAtomic over an existing file', () => {
  it('replaces a 0640 file and the new file is 0640 too', async () => {
    const path = join(folder, 'kept-mode.nii');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    await writeFileAtomic(path, bytes('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('refuses a 0444 file with OUTPUT_WRITE_FAILED, leaving its bytes and mode', async () => {
    const path = join(folder, 'protected.nii');
    writeFileSync(path, 'old');
    chmodSync(path, 0o444);
    const error = await expectAxialError(writeFileAtomic(path, bytes('new')), 'OUTPUT_WRITE_FAILED');
    expect(error.message).toBe(`${path}: exists and is write-protected (mode 444): Axial does not replace it; remove it or make it writable first`);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(statSync(path).mode & 0o777).toBe(0o444);
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it("replaces Axial's own 0444 file (ownFile): a umask of 0222 makes the first settings save read-only, and the second must still succeed", async () => {
    const path = join(folder, 'settings.json');
    writeFileSync(path, 'old');
    chmodSync(path, 0o444);
    await writeFileAtomic(path, bytes('new'), [], { ownFile: true });
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('replaces a symbolic link as itself: neither its protected target refuses it nor does the target change', async () => {
    const target = join(folder, 'linked-target.nii');
    const link = join(folder, 'link.nii');
    writeFileSync(target, 'target');
    chmodSync(target, 0o444);
    symlinkSync(target, link);
    await writeFileAtomic(link, bytes('new'));
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, 'utf8')).toBe('new');
    expect(readFileSync(target, 'utf8')).toBe('target');
  });

  it('names the missing folder, not the temporary file', async () => {
    const path = join(folder, 'nodir', 'x.nii');
    const error = await expectAxialError(writeFileAtomic(path, bytes('new')), 'OUTPUT_WRITE_FAILED');
    expect(error.message).toBe(`${path}: cannot write: the folder ${join(folder, 'nodir')} does not exist`);
  });

  it('names a file where the folder should be', async () => {
    const file = join(folder, 'a-file');
    writeFileSync(file, '');
    const path = join(file, 'x.nii');
    const error = await expectAxialError(writeFileAtomic(path, bytes('new')), 'OUTPUT_WRITE_FAILED');
    expect(error.message).toBe(`${path}: cannot write: ${file} is not a folder`);
  });
});
