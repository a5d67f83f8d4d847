import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';
import type { ScanProgress } from '../../../main/input/scanInput.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { createVolumeLoader } from '../../../main/loader/createVolumeLoader.js';
import type { LoaderOptions } from '../../../main/loader/loaderMessages.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { fifo, within } from '../../fifo.js';

const j2kSeries = sharedData('dicom/ct-abdomen-j2k');
const misbehaving = new URL('./misbehavingLoaderWorker.mjs', import.meta.url);
const settings: LoaderOptions = { decodeThreads: 2, philipsScaling: 'precise' };
const scratch = mkdtempSync(join(tmpdir(), 'axial-loader-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real J2K slices repeated along z to `count` slices (tests/fixtures/makeLongJ2kSeries.py). */
function longSeries(count: number): string {
  const out = join(scratch, `long-${count}`);
  execFileSync('/usr/bin/python3', [join(repoRoot, 'tests', 'fixtures', 'makeLongJ2kSeries.py'), j2kSeries, out, String(count)]);
  return out;
}

async function failureOf(promise: Promise<unknown>): Promise<AxialError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AxialError);
  return error as AxialError;
}

describe.skipIf(!hasSharedData)(`createVolumeLoader (${noSharedDataReason})`, () => {
  it('loads on its worker exactly what scanInput loads in-process, counting files as it goes', async () => {
    const progress: ScanProgress[] = [];
    const loader = createVolumeLoader({ onProgress: (p) => progress.push(p) });
    try {
      const scan = await loader.scan(j2kSeries, settings);
      const here = await scanInput(j2kSeries, { threads: 1 });
      expect(scan.series.map(({ uid, files, format }) => ({ uid, files, format }))).toEqual(
        here.series.map(({ uid, files, format }) => ({ uid, files, format })),
      );
      const [{ volume: remote }, { volume: local }] = await Promise.all([scan.series[0]!.load(), here.series[0]!.load()]);
      expect(remote.dimensions).toEqual([512, 512, 20]);
      expect({ ...remote, voxels: undefined }).toEqual({ ...local, voxels: undefined });
      expect(remote.voxels.constructor).toBe(local.voxels.constructor);
      expect(Buffer.from(remote.voxels.buffer, remote.voxels.byteOffset, remote.voxels.byteLength).equals(Buffer.from(local.voxels.buffer))).toBe(true);
      expect(progress.at(0)?.phase).toBe('scanning');
      expect(progress.filter((p) => p.phase === 'scanning').at(-1)).toEqual({ phase: 'scanning', done: 20, total: 20 });
      expect(progress.at(-1)).toEqual({ phase: 'loading', done: 20, total: 20 });
      const counts = progress.filter((p) => p.phase === 'loading').map((p) => p.done);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
    } finally {
      await loader.close();
    }
  });

  it('keeps error codes and file names across the thread boundary', async () => {
    const loader = createVolumeLoader();
    try {
      const missing = join(scratch, 'no-such-folder');
      const error = await failureOf(loader.scan(missing, settings));
      expect(error.code).toBe('INPUT_NOT_FOUND');
      expect(error.file).toBe(missing);
    } finally {
      await loader.close();
    }
  });

  it('ends a worker that gives no word for too long, failing its call with INTERNAL naming the input', async () => {
    const loader = createVolumeLoader({ workerUrl: misbehaving, silenceLimitMs: 300 });
    try {
      const error = await failureOf(loader.scan('/studies/silent', settings));
      expect(error.code).toBe('INTERNAL');
      expect(error.file).toBe('/studies/silent');
      expect(error.message).toContain('no sign of progress');
      // A new worker takes the next call.
      expect((await loader.scan('/studies/other', settings).catch((e: unknown) => e)) as Error).toBeInstanceOf(Error);
    } finally {
      await loader.close();
    }
  });

  it('keeps an error nobody raised on purpose a plain Error naming the input, for the services to log whole', async () => {
    const loader = createVolumeLoader({ workerUrl: misbehaving });
    try {
      const error = (await loader.scan('/studies/ct', settings).catch((e: unknown) => e)) as Error;
      expect(error).not.toBeInstanceOf(AxialError);
      expect(error.message).toMatch(/^\/studies\/ct: the loader failed: TypeError: boom\n/);
    } finally {
      await loader.close();
    }
  });

  it('cancels a load mid-way: the call fails with LOAD_CANCELLED at once, the decode threads stop, and the next load works', async () => {
    const folder = longSeries(300);
    const progress: ScanProgress[] = [];
    const loader = createVolumeLoader({ onProgress: (p) => progress.push(p) });
    try {
      const scan = await loader.scan(folder, settings);
      const loading = scan.series[0]!.load();
      // Cancel once a tenth of the files are decoded, well before the end.
      while (!progress.some((p) => p.phase === 'loading' && p.done >= 30)) await new Promise((r) => setTimeout(r, 5));
      const asked = performance.now();
      const failed = failureOf(loading);
      expect(await loader.cancel()).toBe(true);
      const stopped = performance.now() - asked;
      const error = await failed;
      expect(error.code).toBe('LOAD_CANCELLED');
      // A generous bound that catches a hang; the figure itself is in the benchmark report.
      expect(stopped).toBeLessThan(2000);
      // No thread is left decoding: this process uses almost no CPU from here on.
      const cpuBefore = process.cpuUsage();
      await new Promise((r) => setTimeout(r, 400));
      const cpu = process.cpuUsage(cpuBefore);
      expect((cpu.user + cpu.system) / 1000).toBeLessThan(200);
      expect(await loader.cancel()).toBe(false);
      // The scan made before the cancel still loads: a new worker scans the folder again.
      const { volume } = await scan.series[0]!.load();
      expect(volume.dimensions).toEqual([512, 512, 300]);
    } finally {
      await loader.close();
    }
  });

  it('refuses to load a series whose folder changed since it was scanned', async () => {
    const folder = longSeries(24);
    const loader = createVolumeLoader();
    try {
      const scan = await loader.scan(folder, settings);
      scan.forget();
      unlinkSync(join(folder, 'slice0003.dcm'));
      const error = await failureOf(scan.series[0]!.load());
      expect(error.code).toBe('DICOM_SERIES_NOT_FOUND');
      expect(error.file).toBe(folder);
    } finally {
      await loader.close();
    }
  });
});

describe.skipIf(process.platform === 'win32')('createVolumeLoader: a worker stuck in a read', () => {
  it('cancels at once though its worker is blocked opening a FIFO (terminate() would wait for the read)', async () => {
    const pipe = fifo.make(join(scratch, 'stuck.fifo'));
    let reading: () => void = () => undefined;
    const blocked = new Promise<void>((done) => (reading = done));
    const loader = createVolumeLoader({ workerUrl: misbehaving, onProgress: () => reading() });
    try {
      const failed = failureOf(loader.scan(pipe, settings));
      await blocked;
      // Generous: a cancel takes milliseconds; one that waits for the worker to end waits for a writer that never comes.
      expect(await within(loader.cancel(), 20_000)).toBe(true);
      expect((await failed).code).toBe('LOAD_CANCELLED');
    } finally {
      fifo.release(pipe);
      await loader.close();
    }
  });
});
