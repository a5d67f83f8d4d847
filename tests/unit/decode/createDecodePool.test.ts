import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDecodePool, defaultDecodeWorkerUrl } from '../../../main/decode/createDecodePool.js';
import { decodeFrame } from '../../../main/dicom/decodeFrame.js';
import type { FrameDecodeJob } from '../../../main/dicom/FrameDecodePool.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat } from '../../../main/dicom/PixelFormat.js';
import { readFrameBytes } from '../../../main/dicom/readFrameBytes.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const series = sharedData('dicom/ct-abdomen-j2k');
const poisonWorker = new URL('./poisonDecodeWorker.mjs', import.meta.url);

/** The first frame of a file of the J2K series, as the loader hands it to the pool. */
function realFrame(file: string): FrameDecodeJob & { encoded: Uint8Array } {
  const dataSet = parseDicomBytes(readFileSync(file), file);
  const format = readPixelFormat(dataSet, file);
  const encoded = readFrameBytes(dataSet, format, 0, file);
  return { transferSyntaxUid: dataSet.string('x00020010')!, format, bytes: encoded.slice().buffer, file, encoded };
}

/** Same type, same bytes (toEqual walks a 512×512 frame element by element, slowly). */
function sameValues(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.constructor === b.constructor && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; file: string | undefined; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AxialError);
  const { code, file, message } = error as AxialError;
  return { code, file, message };
}

describe.skipIf(!hasSharedData)(`createDecodePool (${noSharedDataReason})`, () => {
  const files = hasSharedData ? readdirSync(series).map((name) => join(series, name)) : [];

  it('loads ct-abdomen-j2k with 2 threads into the same voxels as on this thread (threads 1), dcm2niix’s sum', async () => {
    const load = async (threads: number) => (await (await scanInput(series, { threads })).series[0]!.load()).volume;
    const [one, two] = [await load(1), await load(2)];
    expect(two.dimensions).toEqual([512, 512, 20]);
    expect(two.voxels.constructor).toBe(one.voxels.constructor);
    expect(Buffer.from(two.voxels.buffer).equals(Buffer.from(one.voxels.buffer))).toBe(true);
    let sum = 0;
    for (let i = 0; i < two.voxels.length; i++) sum += two.voxels[i]!;
    expect(sum).toBe(-3272217339);
  });

  it('reports the same bad frame as threads 1 when several of a series’ frames cannot be decoded', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-decode-pool-'));
    try {
      for (const [n, file] of files.entries()) {
        const copy = join(folder, `${n}.dcm`);
        copyFileSync(file, copy);
        if (n % 6 !== 5) continue;
        // Every third of the series loses its JPEG 2000 start marker (SOC, SIZ): the codec refuses it.
        const bytes = readFileSync(copy);
        bytes.fill(0, bytes.indexOf(Buffer.from([0xff, 0x4f, 0xff, 0x51])), bytes.indexOf(Buffer.from([0xff, 0x4f, 0xff, 0x51])) + 4);
        writeFileSync(copy, bytes);
      }
      const failure = async (threads: number) => codeOf((await scanInput(folder, { threads })).series[0]!.load());
      const here = await failure(1);
      expect(here.code).toBe('DICOM_CORRUPT_PIXEL_DATA');
      expect(await failure(2)).toEqual(here);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('answers many frames at once, each with decodeFrame’s values, in a buffer of its own', async () => {
    const pool = createDecodePool({ threads: 2 });
    try {
      const jobs = files.slice(0, 6).map(realFrame);
      const expected = await Promise.all(jobs.map((j) => decodeFrame(j.transferSyntaxUid, j.encoded, j.format, j.file)));
      const decoded = await Promise.all(jobs.map(({ encoded: _, ...job }) => pool.decode(job)));
      expect(jobs.every((j) => j.bytes.byteLength === 0)).toBe(true);
      decoded.forEach((values, i) => {
        expect(values.constructor).toBe(expected[i]!.constructor);
        expect(values.byteLength).toBe(values.buffer.byteLength);
        expect(sameValues(values, expected[i]!)).toBe(true);
      });
    } finally {
      await pool.close();
    }
  });

  it('gives a frame the codec refuses decodeFrame’s coded error, naming the file', async () => {
    const pool = createDecodePool({ threads: 1 });
    try {
      const { encoded: _, ...job } = realFrame(files[0]!);
      const garbage = new Uint8Array(job.bytes).fill(7).buffer;
      const here = await codeOf(decodeFrame(job.transferSyntaxUid, new Uint8Array(garbage.slice(0)), job.format, job.file));
      expect(await codeOf(pool.decode({ ...job, bytes: garbage }))).toEqual(here);
      expect(here.code).toBe('DICOM_CORRUPT_PIXEL_DATA');
    } finally {
      await pool.close();
    }
  });

  // A fresh worker's first frame includes its start and the codec's compilation: 5 s is generous even on a busy machine.
  it.each([
    ['hang', /took longer than 5 s/],
    ['throw', /failed: poisoned/],
    ['exit', /stopped \(exit code 3\)/],
    ['oom', /ran out of memory/],
  ])('kills and replaces a worker whose job does %s, fails only that job, and answers the next', async (poison, reason) => {
    const pool = createDecodePool({ threads: 1, timeoutMs: 5000, workerUrl: poisonWorker });
    try {
      const { encoded, ...job } = realFrame(files[0]!);
      const started = Date.now();
      const failed = await codeOf(pool.decode({ ...job, file: `/poison/${poison}`, bytes: encoded.slice().buffer }));
      expect(failed).toMatchObject({ code: 'DICOM_CORRUPT_PIXEL_DATA', file: `/poison/${poison}` });
      expect(failed.message).toMatch(reason);
      expect(Date.now() - started).toBeLessThan(20_000);
      const values = await pool.decode(job);
      expect(sameValues(values, await decodeFrame(job.transferSyntaxUid, encoded, job.format, job.file))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('leaves no worker behind after close(): a process that used the pool exits by itself', () => {
    const script = `
      import { createDecodePool } from ${JSON.stringify(defaultDecodeWorkerUrl().href.replace('decodeWorker.js', 'createDecodePool.js'))};
      const pool = createDecodePool({ threads: 2 });
      const failures = await Promise.allSettled([1, 2, 3].map(() => pool.decode({
        transferSyntaxUid: '1.2.840.10008.1.2.4.90', file: 'x', bytes: new ArrayBuffer(16),
        format: { rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 0,
                  samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0, numberOfFrames: 1 },
      })));
      await pool.close();
      console.log(failures.map((f) => f.status + ' ' + f.reason?.code).join());
    `;
    const started = Date.now();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, timeout: 30_000, encoding: 'utf8' });
    expect(out.trim()).toBe(['rejected DICOM_CORRUPT_PIXEL_DATA', 'rejected DICOM_CORRUPT_PIXEL_DATA', 'rejected DICOM_CORRUPT_PIXEL_DATA'].join());
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
