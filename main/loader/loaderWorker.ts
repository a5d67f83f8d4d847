import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { createDecodePool, type DecodePool } from '../decode/createDecodePool.js';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { scanInput, type InputScan, type ScanProgress } from '../input/scanInput.js';
import { middleSliceThumbnail } from '../studies/middleSliceThumbnail.js';
import { valueRange } from '../volume/valueRange.js';
import { openMaskFile } from './openMaskFile.js';
import type { LoaderFailure, LoaderOptions, LoaderReply, LoaderRequest } from './loaderMessages.js';

/**
 * The loader worker: scans inputs and loads series off the app's main thread, its compressed
 * frames decoded by one decode pool that lives as long as this worker. Scans are kept until main
 * forgets them; loads are answered with the voxels' buffer transferred, not copied.
 */
const port = parentPort;
if (port === null) throw new Error('loaderWorker runs only as a worker thread');

const scans = new Map<number, InputScan>();
let pool: DecodePool | undefined;
/** The settings the kept scans were made with; when they change, scans are made again. */
let scannedWith = '';

/** Progress at most every 50 ms, and always the last count. */
const progressInterval = 50;
let lastProgress = -Infinity;
const onProgress = (progress: ScanProgress): void => {
  const now = performance.now();
  if (progress.done < progress.total && now - lastProgress < progressInterval) return;
  lastProgress = now;
  post({ type: 'progress', progress });
};

port.on('message', (request: LoaderRequest) => {
  if (request.type === 'forget') {
    scans.delete(request.scanId);
    return;
  }
  void answer(request).catch((error: unknown) => post({ type: 'failed', id: request.id, failure: failureOf(error) }));
});

async function answer(request: Exclude<LoaderRequest, { type: 'forget' }>): Promise<void> {
  if (request.type === 'openMask') {
    const mask = await openMaskFile(request.path, request.grid);
    post({ type: 'maskOpened', id: request.id, mask }, transferable(mask.layers.map((layer) => layer.buffer)));
    return;
  }
  useSettings(request.options);
  if (request.type === 'scan') {
    const scan = await scanWith(request.path, request.options);
    scans.set(request.id, scan);
    const series = scan.series.map(({ load: _load, ...summary }) => summary);
    post({ type: 'scanned', id: request.id, series, skipped: scan.skipped });
    return;
  }
  const scan = scans.get(request.scanId) ?? (await scanWith(request.path, request.options));
  scans.set(request.scanId, scan);
  const series = scan.series.find((s) => s.index === request.index);
  if (series === undefined || series.uid !== request.uid || series.files.length !== request.fileCount) {
    throw new AxialError('DICOM_SERIES_NOT_FOUND', 'the series is no longer there as it was when opened (the folder changed); open it again', {
      file: request.path,
    });
  }
  const { volume, warnings } = await series.load(request.timePoint);
  const { dimensions, spacing, origin, direction, voxels, metadata } = volume;
  const range = valueRange(volume);
  const thumbnail = middleSliceThumbnail(volume, range);
  post(
    { type: 'loaded', id: request.id, volume: { dimensions, spacing, origin, direction, voxels, metadata }, warnings, range, thumbnail },
    transferable([voxels.buffer]),
  );
}

function scanWith(path: string, options: LoaderOptions): Promise<InputScan> {
  const threads = threadsOf(options);
  return scanInput(path, { philipsScaling: options.philipsScaling, threads, decodePool: pool, onProgress });
}

/**
 * Settings apply from the next scan or load: when they changed, the kept scans (whose loads would use
 * the old values and the old pool) are dropped and scanned again on demand, and the pool is remade.
 */
function useSettings(options: LoaderOptions): void {
  const key = JSON.stringify(options);
  if (key === scannedWith) return;
  scannedWith = key;
  scans.clear();
  void pool?.close();
  const threads = threadsOf(options);
  pool = threads > 1 ? createDecodePool({ threads }) : undefined;
}

function threadsOf(options: LoaderOptions): number {
  return options.decodeThreads ?? availableParallelism();
}

/** Buffers moved, not copied: a shared buffer is shared as it is, and a small one (perhaps Node's pool) is copied. */
function transferable(buffers: readonly ArrayBufferLike[]): ArrayBuffer[] {
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 64 * 1024);
}

function post(reply: LoaderReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(reply, transfer);
}

function failureOf(error: unknown): LoaderFailure {
  if (!isAxialError(error)) return { code: undefined, message: error instanceof Error ? (error.stack ?? error.message) : String(error), file: undefined };
  const prefix = error.file === undefined ? '' : `${error.file}: `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return { code: error.code, message, file: error.file };
}
