import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terminalJson } from '../../../main/cli/terminalJson.js';
import { terminalText } from '../../../main/cli/terminalText.js';
import { writeNrrd } from '../../../main/nrrd/writeNrrd.js';
import { cliErrorCode, runAxialMeasured, type MeasuredRun } from '../../runNodeMeasured.js';
import { buildCtSeries } from '../cli/buildCtSeries.js';
import { labelPhantom } from '../segmentation/process/inferenceFixtures.js';

/*
 * Strings read from files reach the user's terminal through `axial info` (descriptions, file names) and through
 * error messages (file names). Before the fix a SeriesDescription holding "ESC ] 0 ; … BEL ESC [ 2 J" retitled the
 * terminal and cleared it. No control character may be printed now, in text, in --json, or in an error.
 */

/** C0 but tab and newline, DEL, C1, the bidi marks, embeddings, overrides and isolates, and U+2028/9. */
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const scratch = mkdtempSync(join(tmpdir(), 'axial-cli-text-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Set the window title, clear the screen, home the cursor, red text via an 8-bit CSI, a DEL. */
const hostile = 'Chest\x1b]0;pwned\x07\x1b[2J\x1b[H\x9b31m\x7f\r\nFAKE LINE';

function expectNoControl(run: MeasuredRun): void {
  expect(run.stdout).not.toMatch(control);
  expect(run.stderr).not.toMatch(control);
  expect(run.ms).toBeLessThan(10_000);
  expect(run.peakMiB).toBeLessThan(300);
}

describe('axial prints no control character read from a file (built CLI)', () => {
  const ct = join(scratch, 'ct');
  mkdirSync(ct);
  buildCtSeries({ seriesDescription: hostile }).forEach((bytes, k) => writeFileSync(join(ct, `IMG${k + 1}.dcm`), bytes));

  it('info: a SeriesDescription with escape sequences is printed on one line without them', async () => {
    const run = await runAxialMeasured(['info', ct]);
    expect(run.code, run.stderr).toBe(0);
    expectNoControl(run);
    expect(run.stdout).toMatch(/^Series 1 of 1: Chest\]0;pwned\[2J\[H31m FAKE LINE \[CT\]$/m);
  });

  it('info --json: the same description escaped, so the JSON still holds it exactly', async () => {
    const run = await runAxialMeasured(['info', ct, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expectNoControl(run);
    const parsed = JSON.parse(run.stdout) as { series: { description: string }[] };
    expect(parsed.series[0]!.description).toBe(hostile);
  });

  // Linux file names may hold any byte but "/" and NUL: a NRRD's description is its file name.
  const name = `scan\u202e\x1b[31mgnp.\u2066\u0085.nrrd`;

  it('info and --json: a NRRD whose file name holds escapes and bidi overrides', async () => {
    const folder = join(scratch, 'nrrd');
    mkdirSync(folder);
    await writeNrrd(labelPhantom([3, 4, 5]), join(folder, name));
    for (const args of [
      ['info', folder],
      ['info', folder, '--json'],
    ]) {
      const run = await runAxialMeasured(args);
      expect(run.code, run.stderr).toBe(0);
      expectNoControl(run);
    }
    const json = await runAxialMeasured(['info', folder, '--json']);
    expect((JSON.parse(json.stdout) as { series: { description: string }[] }).series[0]!.description).toBe(name);
  });

  it('an error naming such a file prints its name without the controls', async () => {
    const bad = join(scratch, `broken\x1b]0;pwned\x07\u202e.nii`);
    writeFileSync(bad, Buffer.alloc(40));
    const run = await runAxialMeasured(['info', bad]);
    expect(run.code).toBe(1);
    expect(cliErrorCode(run)).toMatch(/^NIFTI_/);
    expectNoControl(run);
    expect(run.stderr).toContain('broken]0;pwned.nii');
  });
});

describe('terminalText and terminalJson', () => {
  it('strip C0 (keeping tab and newline unless one line), DEL, C1 and bidi controls; keep other text', () => {
    expect(terminalText('a\x1b[2Jb\tc\nd\x7f\x9b\u202e\u2066é漢')).toBe('a[2Jb\tc\ndé漢');
    expect(terminalText('one\ttwo\r\nthree', { singleLine: true })).toBe('one two three');
  });

  it('escape what JSON.stringify leaves raw, so the value parses back exactly', () => {
    const value = { s: 'x\u009b31m\u202e\u2028\x7f\x1b' };
    const json = terminalJson(value);
    expect(json).not.toMatch(control);
    expect(json).toContain('\\u009b');
    expect(JSON.parse(json)).toEqual(value);
  });
});
