import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { tinyVolume } from '../../tinyVolume.js';
import { buildCtSeries } from './buildCtSeries.js';

/**
 * Each command takes only its own options: one meant for another command is a usage error naming both (it was
 * applied silently, or ignored); whole numbers are parsed strictly; a bare `axial` is a usage error on stderr; and
 * a failure is one line even when its message lists the series found.
 */
const folder = mkdtempSync(join(tmpdir(), 'axial-cli-options-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const nifti = join(folder, 'in.nii');
const dicom = join(folder, 'dicom');

beforeAll(async () => {
  await writeNifti(tinyVolume([3, 2, 2]), nifti);
  mkdirSync(dicom);
  buildCtSeries().forEach((bytes, k) => writeFileSync(join(dicom, `${k}.dcm`), bytes));
});

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const io = captureIo();
  const code = await runCli(argv, io);
  return { code, out: io.outLines, err: io.errLines };
}

describe('runCli options', () => {
  it('refuses --json on convert, writing nothing', async () => {
    const output = join(folder, 'json.nii');
    const result = await run('convert', nifti, output, '--json');
    expect(result).toEqual({
      code: 2,
      out: [],
      err: ['axial: error CLI_USAGE: axial convert does not take --json (its options: --series, --volume, --time-point, --philips-scaling, --threads)'],
    });
  });

  it('refuses info with --series, --volume and --time-point, naming the first', async () => {
    const result = await run('info', nifti, '--series', '5', '--volume', '9', '--time-point', '4');
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual(['axial: error CLI_USAGE: axial info does not take --series (its options: --json, --philips-scaling, --threads)']);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    'refuses "%s" as an unknown command (an Object property once passed the check)',
    async (command) => {
      const result = await run(command, '--json', nifti, folder);
      expect(result.code).toBe(2);
      expect(result.err[0]!.startsWith(`axial: error CLI_USAGE: unknown command "${command}"`)).toBe(true);
    },
  );

  it('refuses bundle inspect with --threads', async () => {
    const result = await run('bundle', 'inspect', folder, '--threads', '2');
    expect(result.err).toEqual(['axial: error CLI_USAGE: axial bundle inspect does not take --threads (its options: --json)']);
    expect(result.code).toBe(2);
  });

  it.each([
    ['', '--volume must be a whole number from 0, got ""'],
    [' 1', '--volume must be a whole number from 0, got " 1"'],
    ['1e0', '--volume must be a whole number from 0, got "1e0"'],
    ['0x1', '--volume must be a whole number from 0, got "0x1"'],
  ])('refuses --volume %j', async (value, message) => {
    const result = await run('convert', nifti, join(folder, 'v.nii'), `--volume=${value}`);
    expect(result).toEqual({ code: 2, out: [], err: [`axial: error CLI_USAGE: ${message}`] });
  });

  it('refuses --time-point "" as well', async () => {
    const result = await run('convert', dicom, join(folder, 't.nii'), '--time-point=');
    expect(result.err).toEqual(['axial: error CLI_USAGE: --time-point must be a whole number from 0, got ""']);
  });

  it('prints the usage on stderr with status 2 for a bare axial, on stdout with 0 for --help', async () => {
    const bare = await run();
    expect(bare.code).toBe(2);
    expect(bare.out).toEqual([]);
    expect(bare.err.join('\n')).toMatch(/^Usage:\n {2}axial info <input>/);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.err).toEqual([]);
    expect(help.out.join('\n')).toMatch(/^Usage:\n {2}axial info <input>/);
  });

  it('names every kind of batch list in the usage, as docs/segment-cli.md does: a folder, .txt, .csv and .json', async () => {
    for (const argv of [['--help'], ['segment', '--help']]) {
      expect((await run(...argv)).out.join('\n')).toContain('--batch <folder|list.txt|list.csv|list.json> --out-dir <dir>');
    }
    expect((await run('segment', '--help')).out.join('\n')).toMatch(/\.csv or\s+\.json list of multi-sequence cases/);
  });

  it('says DICOM_SERIES_NOT_FOUND in one line, the series found in it', async () => {
    const result = await run('convert', dicom, join(folder, 's.nii'), '--series', '5');
    expect(result.code).toBe(1);
    expect(result.err).toEqual([`axial: error DICOM_SERIES_NOT_FOUND: ${dicom}: no series 5; found: 1: 1.2.826.0.1.3680043.99.3 test series`]);
  });
});
