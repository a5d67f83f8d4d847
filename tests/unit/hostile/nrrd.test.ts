import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cliErrorCode, runAxialMeasured, type MeasuredRun } from '../../runNodeMeasured.js';

const root = mkdtempSync(join(tmpdir(), 'axial-hostile-nrrd-'));
const folder = join(root, 'scan');
mkdirSync(folder);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const isWindows = process.platform === 'win32';

function header(name: string, lines: string[], data: Uint8Array = new Uint8Array(0)): string {
  const path = join(folder, name);
  writeFileSync(path, Buffer.concat([Buffer.from(['NRRD0004', ...lines].join('\n') + '\n\n', 'latin1'), data]));
  return path;
}

/** 4×4×4 uchar raw: 64 bytes, fewer than /etc/passwd holds, so the old reader loaded whatever it was pointed at. */
const small = ['type: uchar', 'dimension: 3', 'sizes: 4 4 4', 'encoding: raw'];

/**
 * A gzip stream of `mib` MiB of zeros, correct CRC and length included, about 1/1000 of that on disk: one
 * sync-flushed deflate block of a MiB of zeros ends on a byte boundary and refers only to zeros, so it can be
 * repeated; an empty final block and the trailer close the stream. Built in ~3 s for 6 GiB.
 */
function writeZeroGzip(path: string, prefix: Buffer, mib: number): void {
  const zeros = Buffer.alloc(1 << 20);
  const block = deflateRawSync(zeros, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const file = openSync(path, 'w');
  writeSync(file, prefix);
  writeSync(file, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])); // gzip header: deflate, no flags, Unix
  const blocks = Buffer.concat(Array<Buffer>(64).fill(block));
  let crc = 0;
  for (let i = 0; i < mib; i += 64) writeSync(file, blocks);
  for (let i = 0; i < mib; i++) crc = crc32(zeros, crc);
  const trailer = Buffer.alloc(10);
  trailer.set([0x03, 0x00]); // final empty fixed-Huffman block
  trailer.writeUInt32LE(crc >>> 0, 2);
  trailer.writeUInt32LE((mib * 2 ** 20) % 2 ** 32, 6);
  writeSync(file, trailer);
  closeSync(file);
}

/** The run ended with `code` (or succeeded for null), quickly and in bounded memory. */
function expectBounded(run: MeasuredRun, code: string | null, peakMiB = 200): void {
  const seen = `${run.ms.toFixed(0)} ms, ${run.peakMiB.toFixed(0)} MiB, exit ${run.code}: ${run.stderr.slice(0, 400)}`;
  expect(run.timedOut, seen).toBe(false);
  if (code) expect(cliErrorCode(run), seen).toBe(code);
  else expect(run.code, seen).toBe(0);
  expect(run.ms, seen).toBeLessThan(10_000);
  expect(run.peakMiB, seen).toBeLessThan(peakMiB);
}

describe('NRRD gzip streams longer or shorter than the header says', () => {
  it('inflates only the 1000 bytes a 10³ header needs from a 6 GiB stream (was: 16–25 s inflating it all)', async () => {
    const prefix = Buffer.from('NRRD0004\ntype: uchar\ndimension: 3\nsizes: 10 10 10\nencoding: gzip\n\n', 'latin1');
    const path = join(folder, 'long.nrrd');
    writeZeroGzip(path, prefix, 6144);
    const info = await runAxialMeasured(['info', path]);
    expectBounded(info, null);
    expect(info.stdout).toMatch(/dimensions +10 × 10 × 10/);
    const out = join(root, 'long.nii');
    const convert = await runAxialMeasured(['convert', path, out]);
    expectBounded(convert, null);
    expect(readFileSync(out).length).toBe(352 + 1000);
  });

  it('refuses a claim its stream cannot hold before allocating it', async () => {
    const path = header(
      'claims.nrrd',
      ['type: float', 'dimension: 3', 'sizes: 800 800 800', 'endian: little', 'encoding: gzip'],
      Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]),
    );
    const run = await runAxialMeasured(['info', path]);
    expectBounded(run, 'NRRD_TRUNCATED');
    expect(run.stderr).toMatch(/needs 2048000000 decompressed bytes; a gzip stream of 20 bytes holds at most 20640/);
  });
});

describe('NRRD ascii data far longer than the header needs', () => {
  it('reads the 8 values a 2³ header needs from 200 MiB of text (was: 4.9 s and 2.2 GB splitting it all)', async () => {
    const path = join(folder, 'ascii.nrrd');
    const file = openSync(path, 'w');
    writeSync(file, 'NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 2\nencoding: ascii\n\n');
    const values = Buffer.from('7 '.repeat(1 << 20));
    for (let i = 0; i < 100; i++) writeSync(file, values);
    closeSync(file);
    const run = await runAxialMeasured(['info', path]);
    expectBounded(run, null);
    expect(run.stdout).toMatch(/values 7 to 7/);
  });
});

describe.skipIf(isWindows)('NRRD files that are FIFOs', () => {
  it('refuses a data file that is a FIFO instead of waiting for a writer (was: hung)', async () => {
    execFileSync('mkfifo', [join(folder, 'data.fifo')]);
    const path = header('fifo.nhdr', [...small, 'data file: data.fifo']);
    const run = await runAxialMeasured(['info', path], { timeoutMs: 15_000 });
    expectBounded(run, 'INPUT_NOT_A_FILE');
    expect(run.stderr).toMatch(/data file .*data\.fifo is a FIFO/);
  });

  it('refuses a header that is a FIFO', async () => {
    const path = join(folder, 'pipe.nrrd');
    execFileSync('mkfifo', [path]);
    expectBounded(await runAxialMeasured(['info', path], { timeoutMs: 15_000 }), 'INPUT_NOT_A_FILE');
  });
});

describe('detached NRRD data files outside the header folder', () => {
  const outside = join(root, 'outside.raw');
  writeFileSync(outside, Buffer.alloc(64, 9));

  async function expectOutside(path: string, named: string): Promise<void> {
    const run = await runAxialMeasured(['info', path]);
    expectBounded(run, 'INPUT_PATH_OUTSIDE_FOLDER');
    expect(run.stderr).toContain(path);
    expect(run.stderr).toContain(named);
  }

  it.skipIf(isWindows)('refuses /etc/passwd (was: read as voxels)', async () => {
    await expectOutside(header('passwd.nhdr', [...small, 'data file: /etc/passwd']), '/etc/passwd');
  });

  it('refuses ../outside.raw, also inside a LIST or a printf range (was: read as voxels)', async () => {
    await expectOutside(header('dotdot.nhdr', [...small, 'data file: ../outside.raw']), '../outside.raw');
    await expectOutside(header('list.nhdr', [...small, 'data file: LIST', '../outside.raw']), '../outside.raw');
    await expectOutside(header('range.nhdr', [...small, 'data file: ../outside%d.raw 1 2 1']), '../outside1.raw');
  });

  it('refuses a LIST of 65536 names as unsupported without resolving them all (was: 19 s to read, 15 s more to guard)', async () => {
    const names = Array.from({ length: 65_536 }, (_, n) => `slice${n}.raw`);
    const path = header('many.nhdr', [...small, 'data file: LIST', ...names]);
    const info = await runAxialMeasured(['info', path]);
    expectBounded(info, 'NRRD_UNSUPPORTED');
    const convert = await runAxialMeasured(['convert', path, join(folder, 'many.nii')]);
    expectBounded(convert, 'NRRD_UNSUPPORTED');
    expect(info.ms + convert.ms).toBeLessThan(10_000);
  });

  it.skipIf(isWindows)('refuses a symlink in the folder that leads out (was: followed)', async () => {
    symlinkSync(outside, join(folder, 'link.raw'));
    await expectOutside(header('link.nhdr', [...small, 'data file: link.raw']), 'link.raw');
  });

  it('still reads a data file in a subfolder', async () => {
    mkdirSync(join(folder, 'data'));
    writeFileSync(join(folder, 'data', 'vol.raw'), Buffer.alloc(64, 3));
    expectBounded(await runAxialMeasured(['info', header('inside.nhdr', [...small, 'data file: data/vol.raw'])]), null);
  });
});
