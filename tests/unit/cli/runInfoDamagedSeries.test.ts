import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { tinyVolume } from '../../tinyVolume.js';

/**
 * `axial info` on a folder of a good NIfTI and the real 20-slice JPEG 2000 CT series with one slice cut short inside
 * its pixel data at test time (its header is whole, so the scan lists it and only the series' load fails): the
 * NIfTI is listed as always, the series with why it could not be read (text, and `error` in --json), exit status 0;
 * a folder holding only the damaged series exits 1 with the one-line error.
 */
const folder = mkdtempSync(join(tmpdir(), 'axial-info-damaged-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const mix = join(folder, 'mix');
const onlyDamaged = join(folder, 'only-damaged');
let cutSlice = '';
/** What the cut slice's load says: where its bytes end. */
let cutProblem = '';

const source = sharedData('dicom/ct-abdomen-j2k');

/** The series copied into `into` with slice 10 cut to 90 % of its length (inside its JPEG 2000 fragment); returns its path. */
function writeDamagedSeries(into: string): string {
  mkdirSync(into, { recursive: true });
  const names = readdirSync(source).sort();
  for (const name of names) copyFileSync(join(source, name), join(into, name));
  const cut = join(into, names[10]!);
  const size = Math.floor(statSync(cut).size * 0.9);
  truncateSync(cut, size);
  cutProblem = `the file ends early, at byte ${size}, in the middle of an element`;
  return cut;
}

beforeAll(async () => {
  if (!hasSharedData) return;
  mkdirSync(mix);
  await writeNifti(
    tinyVolume(
      [4, 3, 2],
      new Int16Array(24).map((_, n) => n - 5),
    ),
    join(mix, 'good.nii'),
  );
  cutSlice = writeDamagedSeries(join(mix, 'ctd'));
  writeDamagedSeries(onlyDamaged);
});

describe.skipIf(!hasSharedData)(`axial info with a damaged series (${noSharedDataReason})`, () => {
  it('lists the good NIfTI and the damaged series with why, and exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['info', mix], io)).toBe(0);
    const text = io.outLines.join('\n');
    expect(text).toContain('Series 1 of 2: good.nii');
    expect(text).toContain('  dimensions   4 × 3 × 2');
    expect(text).toContain('Series 2 of 2: CT Body 3.0 [CT]');
    expect(text).toContain('  format       dicom, 20 files');
    expect(text.split('\n').at(-1)).toBe(`  not read     ${cutSlice}: ${cutProblem} (DICOM_TRUNCATED)`);
    expect(io.errLines).toEqual([]);
  });

  it('gives the damaged series an error {code, message} in --json', async () => {
    const io = captureIo();
    expect(await runCli(['info', mix, '--json'], io)).toBe(0);
    const json = JSON.parse(io.outLines.join('\n')) as { series: { index: number; dimensions?: number[]; error?: { code: string; message: string } }[] };
    expect(json.series.map((s) => s.index)).toEqual([1, 2]);
    expect(json.series[0]!.dimensions).toEqual([4, 3, 2]);
    expect(json.series[0]!.error).toBeUndefined();
    expect(json.series[1]!.error).toEqual({ code: 'DICOM_TRUNCATED', message: `${cutSlice}: ${cutProblem}` });
  });

  it('exits 1 with the one-line error when no series could be read', async () => {
    const io = captureIo();
    expect(await runCli(['info', onlyDamaged], io)).toBe(1);
    expect(io.outLines.join('\n')).toContain('Series 1 of 1: CT Body 3.0 [CT]');
    expect(io.errLines).toEqual([`axial: error DICOM_TRUNCATED: ${join(onlyDamaged, basename(cutSlice))}: ${cutProblem}`]);
  });
});
