import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceableOutputMode } from '../../../main/io/replaceableOutputMode.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { expectAxialError } from '../../expectAxialError.js';
import { repoRoot } from '../../repoRoot.js';
import { tinyVolume } from '../../tinyVolume.js';

/**
 * An output already there is replaced keeping its mode, unless it is write-protected: no write bit at all (which
 * stops root too, whom access() lets write anything) or, for another user, not writable by that user. As user
 * nobody the built CLI replaced a 0444 file it owned (the new file 0644); it now refuses it and leaves it as it was.
 */
const cli = join(repoRoot, 'dist', 'main', 'cli', 'axial.js');
const folder = mkdtempSync(join(tmpdir(), 'axial-replaceable-'));
const input = join(folder, 'in.nii');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

beforeAll(async () => {
  await writeNifti(tinyVolume([3, 2, 2]), input);
});

describe('replaceableOutputMode', () => {
  it('gives the mode of a writable file, undefined where there is none or a folder', async () => {
    const path = join(folder, 'rw.nii');
    writeFileSync(path, '');
    chmodSync(path, 0o604);
    expect(await replaceableOutputMode(path)).toBe(0o604);
    expect(await replaceableOutputMode(join(folder, 'absent.nii'))).toBeUndefined();
    expect(await replaceableOutputMode(folder)).toBeUndefined();
  });

  it.each([0o444, 0o400, 0o000])('refuses mode %o, whoever runs it', async (mode) => {
    const path = join(folder, `ro-${mode.toString(8)}.nii`);
    writeFileSync(path, '');
    chmodSync(path, mode);
    const error = await expectAxialError(replaceableOutputMode(path), 'OUTPUT_WRITE_FAILED');
    const octal = mode.toString(8).padStart(3, '0');
    expect(error.message).toBe(`${path}: exists and is write-protected (mode ${octal}): Axial does not replace it; remove it or make it writable first`);
  });
});

describe.skipIf(process.getuid?.() !== 0)('axial convert as user nobody over a write-protected output', () => {
  // Outside the run's scratch folder, which only its owner may enter.
  const open = mkdtempSync('/tmp/axial-nobody-');
  afterAll(() => rmSync(open, { recursive: true, force: true }));

  it('refuses a 0444 file nobody owns, leaving its bytes and mode; replaces a 0640 one, keeping 0640', () => {
    chmodSync(open, 0o777);
    const source = join(open, 'in.nii');
    copyFileSync(input, source);
    chmodSync(source, 0o644);
    const asNobody = (output: string) => spawnSync(process.execPath, [cli, 'convert', source, output], { uid: 65534, gid: 65534, encoding: 'utf8' });
    const output = join(open, 'ro.nii');
    expect(asNobody(output).status).toBe(0);
    chmodSync(output, 0o444);
    const before = readFileSync(output);
    const refused = asNobody(output);
    expect(refused.stderr).toBe(
      `axial: error OUTPUT_WRITE_FAILED: ${output}: exists and is write-protected (mode 444): Axial does not replace it; remove it or make it writable first\n`,
    );
    expect(refused.status).toBe(1);
    expect(statSync(output).mode & 0o777).toBe(0o444);
    expect(readFileSync(output).equals(before)).toBe(true);
    const shared = join(open, 'shared.nii');
    expect(asNobody(shared).status).toBe(0);
    chmodSync(shared, 0o640);
    expect(asNobody(shared).status).toBe(0);
    expect(statSync(shared).mode & 0o777).toBe(0o640);
  });
});
