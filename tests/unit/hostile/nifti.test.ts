import { constants as bufferConstants } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cliErrorCode, runAxialMeasured, type MeasuredRun } from '../../runNodeMeasured.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-hostile-nifti-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Claim {
  readonly dims: readonly [number, number, number];
  /** NIfTI datatype code and its bytes per voxel. */
  readonly datatype: readonly [number, number];
  readonly voxOffset: number;
}

/**
 * A NIfTI-1 header (offsets from nifti1.h) making `claim`, followed by 64 bytes of voxels whatever it claims:
 * the file is a few hundred bytes, gzipped or not.
 */
function craftedNifti(claim: Claim): Buffer {
  const bytes = Buffer.alloc(352 + 64);
  bytes.writeInt32LE(348, 0); // sizeof_hdr
  [3, ...claim.dims, 1, 1, 1, 1].forEach((d, i) => bytes.writeInt16LE(d, 40 + 2 * i)); // dim[0..7]
  bytes.writeInt16LE(claim.datatype[0], 70); // datatype
  bytes.writeInt16LE(claim.datatype[1] * 8, 72); // bitpix
  [1, 1, 1, 1].forEach((p, i) => bytes.writeFloatLE(p, 76 + 4 * i)); // pixdim[0..3]
  bytes.writeFloatLE(claim.voxOffset, 108); // vox_offset, a float32 in NIfTI-1
  bytes.write('n+1\0', 344, 'latin1'); // magic
  return bytes;
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

/** The run ended with `code`, quickly and in bounded memory; the message names the file. */
function expectRefused(run: MeasuredRun, code: string, file: string, peakMiB = 200): void {
  const seen = `${run.ms.toFixed(0)} ms, ${run.peakMiB.toFixed(0)} MiB, exit ${run.code}: ${run.stderr.slice(0, 400)}`;
  expect(run.timedOut, seen).toBe(false);
  expect(cliErrorCode(run), seen).toBe(code);
  expect(run.stderr, seen).toContain(file);
  expect(run.ms, seen).toBeLessThan(10_000);
  expect(run.peakMiB, seen).toBeLessThan(peakMiB);
}

/** 2048×2048×1025 uint8: just over 4 GiB, the largest typed array on Node 20. */
const over4GiB: Claim = { dims: [2048, 2048, 1025], datatype: [2, 1], voxOffset: 352 };
const over4GiBBytes = 2048 * 2048 * 1025;
/** Where Node's typed arrays stop (Node 20: 4 GiB), the claim is too large; past it, merely absent. */
const over4GiBCode = over4GiBBytes > bufferConstants.MAX_LENGTH ? 'VOLUME_TOO_LARGE' : 'NIFTI_TRUNCATED';

describe('axial info on NIfTI files whose header claims more than the file holds', () => {
  it('refuses a .nii.gz claiming over 4 GiB before allocating (was: uncoded RangeError, exit 70)', async () => {
    const path = write('over4gib.nii.gz', gzipSync(craftedNifti(over4GiB)));
    const run = await runAxialMeasured(['info', path]);
    expectRefused(run, over4GiBCode, path);
    expect(run.stderr).toContain(String(over4GiBBytes));
  });

  it('refuses a .nii claiming over 4 GiB in 416 bytes', async () => {
    const path = write('over4gib.nii', craftedNifti(over4GiB));
    expectRefused(await runAxialMeasured(['info', path]), over4GiBCode, path);
  });

  it('refuses a .nii.gz claiming 2 GiB that its 100-byte stream cannot hold, without inflating or allocating', async () => {
    const path = write('2gib.nii.gz', gzipSync(craftedNifti({ dims: [1024, 1024, 512], datatype: [16, 4], voxOffset: 352 })));
    const run = await runAxialMeasured(['info', path]);
    expectRefused(run, 'NIFTI_TRUNCATED', path);
    expect(run.stderr).toMatch(/2147484000 decompressed bytes; a gzip stream of \d+ bytes holds at most/);
  });

  it('refuses vox_offset 1e15 in a .nii.gz (was: uncoded RangeError, exit 70) and in a .nii', async () => {
    const claim: Claim = { dims: [4, 4, 4], datatype: [2, 1], voxOffset: 1e15 };
    const offset = String(Math.fround(1e15));
    const gz = write('offset.nii.gz', gzipSync(craftedNifti(claim)));
    const gzRun = await runAxialMeasured(['info', gz]);
    expectRefused(gzRun, 'NIFTI_TRUNCATED', gz);
    expect(gzRun.stderr).toContain(offset);
    const plain = write('offset.nii', craftedNifti(claim));
    const plainRun = await runAxialMeasured(['info', plain]);
    expectRefused(plainRun, 'NIFTI_TRUNCATED', plain);
    expect(plainRun.stderr).toContain(offset);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO named .nii instead of waiting for a writer (was: hung)', async () => {
    const path = join(folder, 'pipe.nii');
    execFileSync('mkfifo', [path]);
    const run = await runAxialMeasured(['info', path], { timeoutMs: 15_000 });
    expectRefused(run, 'INPUT_NOT_A_FILE', path);
    expect(run.stderr).toMatch(/FIFO/);
  });
});
