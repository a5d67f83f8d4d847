import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cliErrorCode, runAxialMeasured, type MeasuredRun } from '../../runNodeMeasured.js';
import { seededRandom } from '../../seededRandom.js';
import { element, part10, text, us } from '../dicom/buildPart10.js';

/**
 * Inputs built from valid files by lying in the fields that size things
 * (dimensions, bit depths, frame counts, offsets, encodings, data-file names),
 * drawn by a seeded generator so that no reader was written against them. Every
 * command must end within 30 s and 1 GiB, either successfully or with one
 * `axial: error CODE` line whose code is not INTERNAL, and no input may change.
 */
const limits = { ms: 30_000, peakMiB: 1024 };
const scratch = mkdtempSync(join(tmpdir(), 'axial-unseen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const identityBundle = join(import.meta.dirname, '../../fixtures/models/identityBundle');

const lies = [0, 1, 2, 3, 255, 256, 32767, 32768, 65535, 2 ** 31 - 1, 2 ** 32 - 1, -1, 1e15];
const pick = <T>(next: () => number, values: readonly T[]): T => values[Math.floor(next() * values.length)]!;

function niftiFile(next: () => number): Uint8Array {
  const header = new DataView(new ArrayBuffer(352));
  const dims = [3, 4, 5, 3, 1, 1, 1, 1];
  const fields: Record<string, () => void> = {
    dim: () => (dims[1 + Math.floor(next() * 4)] = pick(next, lies) & 0xffff),
    rank: () => (dims[0] = pick(next, [0, 4, 7, 8, 9, 65535])),
    datatype: () => header.setInt16(70, pick(next, [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 768, 1024, 1280, 1536, 2304, 32767]), true),
    bitpix: () => header.setInt16(72, pick(next, [0, 1, 7, 8, 64, 255, 32767]), true),
    voxOffset: () => header.setFloat32(108, pick(next, [-1, 0, 100, 351, 1e15, Number.NaN, Infinity, 3.4e38]), true),
    pixdim: () => header.setFloat32(80 + 4 * Math.floor(next() * 4), pick(next, [0, -1, Number.NaN, Infinity, 1e-30, 1e30]), true),
    scale: () => header.setFloat32(112, pick(next, [Number.NaN, Infinity, -Infinity, 0, 1e38]), true),
    sform: () => header.setInt16(254, pick(next, [1, 2, 3, 4, 5, -1, 32767]), true),
  };
  header.setInt32(0, 348, true);
  header.setInt16(70, 4, true);
  header.setInt16(72, 16, true);
  header.setFloat32(108, 352, true);
  header.setFloat32(112, 1, true);
  for (let p = 0; p < 4; p++) header.setFloat32(76 + 4 * p, 1, true);
  [0x6e, 0x2b, 0x31, 0].forEach((byte, i) => header.setUint8(344 + i, byte));
  const names = Object.keys(fields);
  for (let n = 0; n < 1 + next() * 3; n++) fields[pick(next, names)]!();
  dims.forEach((d, i) => header.setInt16(40 + 2 * i, d, true));
  const body = new Uint8Array(Math.floor(next() * 4) * 60);
  return new Uint8Array([...new Uint8Array(header.buffer), ...body]);
}

function dicomFile(next: () => number): Uint8Array {
  const rows = pick(next, [4, 0, 1, 65535, 32768]);
  const columns = pick(next, [5, 0, 65535, 4096]);
  const bits = pick(next, [16, 8, 1, 12, 24, 32, 64, 0]);
  const frames = pick(next, ['1', '3', '10000000', '-1', '4294967296', 'x']);
  const syntax = pick(next, [
    '1.2.840.10008.1.2.1',
    '1.2.840.10008.1.2.1.99',
    '1.2.840.10008.1.2.5',
    '1.2.840.10008.1.2.4.70',
    '1.2.840.10008.1.2.4.80',
    '1.2.840.10008.1.2.4.90',
    '1.2.840.10008.1.2.4.201',
    '1.2.840.10008.1.2.4.50',
  ]);
  const pixelBytes = pick(next, [40, 0, 7, 4096]);
  const pixels = Array.from({ length: pixelBytes }, () => Math.floor(next() * 256));
  return part10(
    syntax,
    element(0x00080016, 'UI', text('1.2.840.10008.5.1.4.1.1.2', 'UI')),
    element(0x00080018, 'UI', text('1.2.826.0.1.3680043.99.9.1', 'UI')),
    element(0x00080060, 'CS', text('CT')),
    element(0x0020000e, 'UI', text('1.2.826.0.1.3680043.99.9.2', 'UI')),
    element(0x00200032, 'DS', text('0\\0\\0', 'DS')),
    element(0x00200037, 'DS', text('1\\0\\0\\0\\1\\0', 'DS')),
    element(0x00280002, 'US', us(1)),
    element(0x00280004, 'CS', text('MONOCHROME2')),
    element(0x00280008, 'IS', text(frames, 'IS')),
    element(0x00280010, 'US', us(rows)),
    element(0x00280011, 'US', us(columns)),
    element(0x00280100, 'US', us(bits)),
    element(0x00280101, 'US', us(bits)),
    element(0x00280102, 'US', us(Math.max(0, bits - 1))),
    element(0x00280103, 'US', us(0)),
    element(0x7fe00010, 'OW', pixels),
  );
}

function nrrdFiles(next: () => number, folder: string): string {
  const sizes = Array.from({ length: 3 }, () => pick(next, [4, 0, 1, 100000, 2 ** 31, -3]));
  const type = pick(next, ['short', 'uchar', 'double', 'block', 'int64', 'float']);
  const encoding = pick(next, ['raw', 'gzip', 'ascii', 'bzip2', 'hex']);
  const dataFile = pick(next, [undefined, 'data.raw', '../outside.raw', '/etc/passwd', 'LIST', 'slice%03d.raw 0 1000000 1 2', 'missing.raw']);
  const lines = ['NRRD0004', `type: ${type}`, 'dimension: 3', `sizes: ${sizes.join(' ')}`, `encoding: ${encoding}`, 'space: left-posterior-superior'];
  const payload = new Uint8Array(Math.floor(next() * 3) * 80).map(() => Math.floor(next() * 256));
  const data = encoding === 'gzip' ? gzipSync(Buffer.concat([payload, Buffer.alloc(Math.floor(next() * 4) << 20)])) : payload;
  writeFileSync(join(folder, 'data.raw'), data);
  if (dataFile === undefined) {
    writeFileSync(join(folder, 'volume.nrrd'), Buffer.concat([Buffer.from(`${lines.join('\n')}\n\n`), data]));
    return join(folder, 'volume.nrrd');
  }
  const tail = dataFile === 'LIST' ? ['data file: LIST', 'data.raw', 'data.raw'] : [`data file: ${dataFile}`];
  writeFileSync(join(folder, 'volume.nhdr'), `${[...lines, ...tail].join('\n')}\n`);
  return join(folder, 'volume.nhdr');
}

/** sha256 of every file under `folder`, by name. */
function fingerprint(folder: string): Record<string, string> {
  const prints: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    prints[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return prints;
}

function expectWithinBounds(run: MeasuredRun, what: string): void {
  const summary =
    `${what}: exit ${run.code}${run.signal ? ` (${run.signal})` : ''}, ` +
    `${Math.round(run.ms)} ms, ${Math.round(run.peakMiB)} MiB, ${run.stderr.trim().slice(0, 300)}`;
  expect(run.timedOut, summary).toBe(false);
  expect(run.ms, summary).toBeLessThan(limits.ms);
  expect(run.peakMiB, summary).toBeLessThan(limits.peakMiB);
  // 0 done, 1 a coded failure, 2 a usage error (a file holding several series asks for --series).
  expect([0, 1, 2], summary).toContain(run.code);
  if (run.code !== 0) {
    // The message's first line; a usage error may list the series to choose from after it.
    expect(run.stderr, summary).toMatch(/^axial: error [A-Z_]+: /m);
    expect(cliErrorCode(run), summary).not.toBe('INTERNAL');
  }
}

/** Runs `commands` on each case two at a time (the machine has two cores), checking bounds and that no input changed. */
async function sweep(cases: readonly SweepCase[], commands: (input: string, out: string) => string[][]): Promise<Record<string, number>> {
  const codes: Record<string, number> = {};
  const queue = [...cases];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const before = fingerprint(next.folder);
      const out = join(scratch, `${next.name}-out`);
      mkdirSync(out, { recursive: true });
      for (const args of commands(next.input, out)) {
        const run = await runAxialMeasured(args, { timeoutMs: limits.ms + 5_000 });
        expectWithinBounds(run, `${next.name} ${args[0]}`);
        const code = cliErrorCode(run) ?? 'ok';
        codes[code] = (codes[code] ?? 0) + 1;
      }
      expect(fingerprint(next.folder), `${next.name}: an input changed`).toEqual(before);
    }
  };
  await Promise.all([worker(), worker()]);
  return codes;
}

interface SweepCase {
  readonly name: string;
  readonly folder: string;
  readonly input: string;
}

/** `count` cases of `kind`, each in a folder of its own, its files written by `make` from its own seeded generator. */
function makeCases(kind: string, count: number, seed: number, make: (next: () => number, folder: string, n: number) => string): SweepCase[] {
  return Array.from({ length: count }, (_, n) => {
    const folder = join(scratch, `${kind}-${n}`);
    mkdirSync(folder);
    return { name: `${kind}-${n}`, folder, input: make(seededRandom(seed + n), folder, n) };
  });
}

const readerCommands = (input: string, out: string): string[][] => [
  ['info', input],
  ['convert', input, join(out, 'out.nii.gz')],
];

describe('crafted inputs nobody wrote a reader against: bounded, coded, inputs untouched', () => {
  it('NIfTI (.nii and .nii.gz) with lying dimensions, types, offsets and scales', async () => {
    const cases = makeCases('nifti', 16, 1100, (next, folder, n) => {
      const bytes = niftiFile(next);
      const input = join(folder, n % 2 ? 'v.nii.gz' : 'v.nii');
      writeFileSync(input, n % 2 ? gzipSync(bytes) : bytes);
      return input;
    });
    const codes = await sweep(cases, readerCommands);
    console.log('NIfTI sweep outcomes:', codes);
    expect(Object.keys(codes).length).toBeGreaterThan(1);
  });

  it('DICOM with lying rows, columns, bit depths, frame counts and transfer syntaxes', async () => {
    const cases = makeCases('dicom', 20, 2200, (next, folder) => {
      writeFileSync(join(folder, 'a.dcm'), dicomFile(next));
      return folder;
    });
    const codes = await sweep(cases, readerCommands);
    console.log('DICOM sweep outcomes:', codes);
    expect(Object.keys(codes).length).toBeGreaterThan(1);
  });

  it('NRRD with lying sizes, types, encodings and data files', async () => {
    const cases = makeCases('nrrd', 16, 3300, (next, folder) => nrrdFiles(next, folder));
    const codes = await sweep(cases, readerCommands);
    console.log('NRRD sweep outcomes:', codes);
    expect(Object.keys(codes).length).toBeGreaterThan(1);
  });

  it('segment and bundle inspect on damaged bundles and hostile scans', async () => {
    const cases = makeCases('bundle', 8, 4400, (next, folder) => {
      cpSync(identityBundle, join(folder, 'bundle'), { recursive: true });
      const config = join(folder, 'bundle/configs/inference.json');
      const original = readFileSync(config, 'utf8');
      const damage = pick(next, [
        () => original.slice(0, Math.floor(next() * original.length)),
        () => `{"a": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
        () => JSON.stringify({ ...JSON.parse(original), a: [1, 2], b: '$@a + @a', c: '$@b + @b', d: '$@c + @c', e: '$@d + @d' }),
        () => JSON.stringify({ ...JSON.parse(original), preprocessing: 42 }),
        () => original.replace(/"roi_size"\s*:\s*\[[^\]]*\]/, '"roi_size": [0, -1, 1e9]'),
      ]);
      writeFileSync(config, damage());
      const scan = join(folder, 'scan.nii');
      writeFileSync(scan, niftiFile(next));
      return folder;
    });
    const codes = await sweep(cases, (folder, out) => [
      ['bundle', 'inspect', join(folder, 'bundle')],
      ['segment', '--model', join(folder, 'bundle'), join(folder, 'scan.nii'), join(out, 'labels.nii.gz'), '--device', 'cpu'],
    ]);
    console.log('bundle sweep outcomes:', codes);
    expect(codes.MODEL_INVALID ?? 0).toBeGreaterThan(0);
  });
});
