import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliErrorCode, runAxialMeasured, type MeasuredRun } from '../../runNodeMeasured.js';
import {
  dicomdir,
  encapsulatedImage,
  jpeg2000Frame,
  jpegLosslessFrame,
  jpegLsFrame,
  manyFramesClaim,
  rleFrame,
  sequence,
  tinyImage,
  writeDeflateBomb,
} from '../dicom/buildHostileDicom.js';
import { element, encapsulatedPixelData, imagePixelModule, part10, text } from '../dicom/buildPart10.js';

/*
 * Each file below is built here, a few bytes to a megabyte, and claims far more than it holds.
 * Before the DICOM readers checked claims against bytes, `axial info` on them ran (measured with
 * /usr/bin/time on this machine, or as issue 11 reports): NumberOfFrames 10^7, killed after 40 s
 * at 1.4 GiB and growing (issue: 299 s, 4.5 GB, V8 heap death); the deflate bomb, 8.5 s at
 * 3.1 GiB; the JPEG Lossless 65535² frame, killed after 40 s at 1.4 GiB (issue: > 130 s, 6.9 GB);
 * the JPEG 2000 and HTJ2K frames of 20000², 7 s and 3.3 s at 1.6 GiB; 10^6 frames of 1x1 pixel
 * at one position in a 1 MB file, killed after 60 s at 2.5 GiB (each frame a volume, each volume
 * reading the file again); the DICOMDIRs read the file outside their folder; a FIFO given as the
 * input hung until killed.
 */

const folder = mkdtempSync(join(tmpdir(), 'axial-hostile-dicom-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70';
const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80';
const JPEG_2000_LOSSLESS = '1.2.840.10008.1.2.4.90';
const HTJ2K_LOSSLESS = '1.2.840.10008.1.2.4.201';
const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

function write(name: string, bytes: Uint8Array): string {
  const path = join(folder, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

function describeRun(run: MeasuredRun): string {
  return `${run.ms.toFixed(0)} ms, ${run.peakMiB.toFixed(0)} MiB, exit ${run.code}: ${run.stderr.slice(0, 400)}`;
}

/** The run ended with `code`, naming `file` and matching `claim`, within 10 s and `peakMiB`. */
function expectRefused(run: MeasuredRun, code: string, file: string, claim: RegExp, peakMiB = 400): void {
  const seen = describeRun(run);
  expect(run.timedOut, seen).toBe(false);
  expect(cliErrorCode(run), seen).toBe(code);
  expect(run.stderr, seen).toContain(file);
  expect(run.stderr, seen).toMatch(claim);
  expect(run.ms, seen).toBeLessThan(10_000);
  expect(run.peakMiB, seen).toBeLessThan(peakMiB);
}

describe('axial info on DICOM headers that claim more frames than their Pixel Data holds', () => {
  it('refuses NumberOfFrames 10^7 in a 6 KB file before building a frame', async () => {
    const path = write('frames.dcm', manyFramesClaim(10_000_000, 6000));
    expect(statSync(path).size).toBeLessThan(7000);
    expectRefused(await runAxialMeasured(['info', path]), 'DICOM_TRUNCATED', path, /claims 10000000 frame\(s\) of 16x16 .* Pixel Data holds 6000 bytes/, 200);
  });

  it('refuses 10^6 frames of 1x1 pixel, all at the one shared position, that a 1 MB file does hold', async () => {
    const path = write('frames-one-position.dcm', manyFramesClaim(1_000_000, 1_000_000, 1, 8));
    expectRefused(
      await runAxialMeasured(['info', path]),
      'DICOM_MALFORMED',
      path,
      /claims 1000000 frames, and more than 2048 of them lie at one position/,
      300,
    );
  });

  it('refuses NumberOfFrames 10^7 of encapsulated Pixel Data with one fragment', async () => {
    const plane = sequence(0x00209113, element(0x00200032, 'DS', text('0\\0\\0', 'DS')));
    const orientation = sequence(0x00209116, element(0x00200037, 'DS', text('1\\0\\0\\0\\1\\0', 'DS')));
    const bytes = part10(
      JPEG_LOSSLESS_SV1,
      element(0x00280008, 'IS', text('10000000', 'IS')),
      imagePixelModule(16, 16),
      sequence(0x52009229, [...plane, ...orientation]),
      encapsulatedPixelData([jpegLosslessFrame(16, 16, 64)]),
    );
    const path = write('frames-encapsulated.dcm', bytes);
    expectRefused(await runAxialMeasured(['info', path]), 'DICOM_CORRUPT_PIXEL_DATA', path, /claims 10000000 frames/, 200);
  });

  it('refuses a PerFrameFunctionalGroupsSequence with fewer items than NumberOfFrames', async () => {
    const bytes = part10(
      EXPLICIT_LE,
      element(0x00280008, 'IS', text('3', 'IS')),
      imagePixelModule(2, 2),
      sequence(0x52009230, element(0x00209113, 'SQ', [])),
      element(0x7fe00010, 'OW', new Array<number>(24).fill(0)),
    );
    const path = write('per-frame.dcm', bytes);
    expectRefused(await runAxialMeasured(['info', path]), 'DICOM_MALFORMED', path, /claims 3 frames.*\(5200,9230\) has 1 item/, 200);
  });
});

describe('axial info on a deflated data set that inflates far past its header', () => {
  it('stops inflating 1 GiB of zeros behind a 512x512 image at what the image needs', async () => {
    const path = join(folder, 'bomb.dcm');
    await writeDeflateBomb(path, 2 ** 30);
    expect(statSync(path).size).toBeLessThan(2 * 2 ** 20);
    expectRefused(
      await runAxialMeasured(['info', path]),
      'DICOM_CORRUPT_PIXEL_DATA',
      path,
      /inflates past \d+ bytes, more than its Pixel Data \(1 frame\(s\) of 512x512 at 16 bits: 524288 bytes\)/,
      300,
    );
  });
});

describe('axial info on compressed frames whose codestream claims more than its bytes or the header', () => {
  it('refuses a 190 KB JPEG Lossless frame claiming 65535x65535 (at least a bit per sample)', async () => {
    const path = write('lossless.dcm', encapsulatedImage(JPEG_LOSSLESS_SV1, 65535, 65535, jpegLosslessFrame(65535, 65535, 190 * 1024)));
    expectRefused(
      await runAxialMeasured(['info', path]),
      'DICOM_CORRUPT_PIXEL_DATA',
      path,
      /65535x65535 pixels, which need 4294836225 samples of at least a bit/,
      200,
    );
  });

  it('refuses an RLE frame whose one segment cannot expand to a 65535x65535 plane', async () => {
    const path = write('rle.dcm', encapsulatedImage(RLE_LOSSLESS, 65535, 65535, rleFrame(4096), 8));
    expectRefused(await runAxialMeasured(['info', path]), 'DICOM_CORRUPT_PIXEL_DATA', path, /RLE segment 1 is 4096 bytes.*needs 4294836225/, 200);
  });

  it.each([
    ['JPEG 2000', JPEG_2000_LOSSLESS, false],
    ['HTJ2K', HTJ2K_LOSSLESS, true],
  ] as const)('refuses a %s codestream of 20000x20000 in a 64x64 image before the codec allocates', async (name, uid, htj2k) => {
    const path = write(`${name}.dcm`, encapsulatedImage(uid, 64, 64, jpeg2000Frame(20000, 20000, htj2k)));
    expectRefused(
      await runAxialMeasured(['info', path]),
      'DICOM_CORRUPT_PIXEL_DATA',
      path,
      new RegExp(`${name} frame is 20000x20000 but the DICOM header says Columns 64, Rows 64`),
      200,
    );
  });

  it('refuses a JPEG 2000 codestream of 64x64 one-pixel tiles that its bytes cannot hold', async () => {
    const frame = jpeg2000Frame(64, 64);
    frame.splice(24, 8, 0, 0, 0, 1, 0, 0, 0, 1); // XTsiz, YTsiz 1, after SOC, SIZ's marker, Lsiz, Rsiz and Xsiz..YOsiz
    const path = write('tiles.dcm', encapsulatedImage(JPEG_2000_LOSSLESS, 64, 64, frame));
    expectRefused(await runAxialMeasured(['info', path]), 'DICOM_CORRUPT_PIXEL_DATA', path, /describes 4096 tiles/, 200);
  });

  it('refuses a JPEG-LS frame whose SOF55 size differs from Rows/Columns, and one of 65535x65535 in 1 KB', async () => {
    const mismatch = write('jls-mismatch.dcm', encapsulatedImage(JPEG_LS_LOSSLESS, 64, 64, jpegLsFrame(4000, 4000, 1024)));
    expectRefused(
      await runAxialMeasured(['info', mismatch]),
      'DICOM_CORRUPT_PIXEL_DATA',
      mismatch,
      /JPEG-LS frame is 4000x4000 but the DICOM header says Columns 64, Rows 64/,
      200,
    );
    const huge = write('jls-huge.dcm', encapsulatedImage(JPEG_LS_LOSSLESS, 65535, 65535, jpegLsFrame(65535, 65535, 1024)));
    expectRefused(
      await runAxialMeasured(['info', huge]),
      'DICOM_CORRUPT_PIXEL_DATA',
      huge,
      /JPEG-LS frame header claims 65535x65535 pixels, which need 65535 lines of at least a bit/,
      200,
    );
  });
});

describe.skipIf(process.platform === 'win32')('axial info on paths a DICOMDIR or folder names', () => {
  it('refuses a DICOMDIR whose ReferencedFileID climbs out of its folder with ..', async () => {
    const secret = write('dotdot/outside/SECRET.dcm', tinyImage());
    const path = write('dotdot/media/DICOMDIR', dicomdir(['..\\outside\\SECRET.dcm']));
    const run = await runAxialMeasured(['info', path]);
    expectRefused(run, 'INPUT_PATH_OUTSIDE_FOLDER', path, /ReferencedFileID '\.\.\/outside\/SECRET\.dcm' resolves to/, 200);
    expect(run.stdout).not.toContain('SECRET');
    expect(statSync(secret).size).toBe(tinyImage().length);
  });

  it('refuses a DICOMDIR whose ReferencedFileID leaves its folder through a symbolic link', async () => {
    write('link/outside/SECRET.dcm', tinyImage());
    const path = write('link/media/DICOMDIR', dicomdir(['LINK\\SECRET.dcm']));
    symlinkSync(join(folder, 'link/outside'), join(folder, 'link/media/LINK'));
    expectRefused(await runAxialMeasured(['info', path]), 'INPUT_PATH_OUTSIDE_FOLDER', path, /ReferencedFileID 'LINK\/SECRET\.dcm' resolves to .*outside/, 200);
  });

  it('still reads a DICOMDIR whose references stay inside, through a link inside too', async () => {
    write('inside/media/IMAGES/IM1', tinyImage());
    symlinkSync('IMAGES', join(folder, 'inside/media/ALIAS'));
    const path = write('inside/media/DICOMDIR', dicomdir(['IMAGES\\IM1', 'ALIAS\\IM1']));
    const run = await runAxialMeasured(['info', path]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain('2 × 2');
  });

  it('skips a FIFO in a scanned folder without opening it, and refuses one given as the input', async () => {
    write('fifo/image.dcm', tinyImage());
    const pipe = join(folder, 'fifo', 'pipe.dcm');
    execFileSync('mkfifo', [pipe]);
    const run = await runAxialMeasured(['info', join(folder, 'fifo')]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stdout).toContain('2 × 2 × 1');
    expectRefused(await runAxialMeasured(['info', pipe]), 'INPUT_NOT_A_FILE', pipe, /not a regular file/, 200);
  });
});
