import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume } from '../../../main/volume/Volume.js';
import { axialCli } from '../../runNodeMeasured.js';
import { seededRandom } from '../../seededRandom.js';

/*
 * A disk that fills up during a write: `ulimit -f` caps the files the CLI may write at 64 KiB, so a write stops
 * part-way without an error (Node ignores SIGXFSZ) and the next one fails. Before the fix the writer took the short
 * write for a whole one and renamed a cut-off file into place, exit 0; a batch's --skip-existing then kept it.
 */
const scratch = mkdtempSync(join(tmpdir(), 'axial-full-disk-'));
const input = join(scratch, 'ct.nii.gz');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  const random = seededRandom(7);
  const dimensions = [64, 64, 40] as const;
  await writeNifti(
    createVolume({
      dimensions,
      spacing: [1, 1, 2],
      origin: [0, 0, 0],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      // Noise, so the gzip output is past the cap too.
      voxels: Int16Array.from({ length: 64 * 64 * 40 }, () => Math.floor(random() * 4000) - 1000),
      metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
    }),
    input,
  );
});

const convertCapped = (output: string) =>
  spawnSync('bash', ['-c', 'ulimit -f 64 && exec "$0" "$@"', process.execPath, axialCli, 'convert', input, output], { encoding: 'utf8', timeout: 60_000 });

describe.skipIf(process.platform === 'win32')('a disk that fills up during a write', () => {
  it.each(['out.nii', 'out.nii.gz', 'out.nrrd'])('convert to %s fails with OUTPUT_WRITE_FAILED and leaves no file, cut-off or temporary', (name) => {
    const output = join(scratch, name);
    const run = convertCapped(output);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/OUTPUT_WRITE_FAILED/);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(scratch).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('the same convert writes the whole file without the cap', () => {
    const output = join(scratch, 'whole.nii');
    const run = spawnSync(process.execPath, [axialCli, 'convert', input, output], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(output)).toBe(true);
  });
});
