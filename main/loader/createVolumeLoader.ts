import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AxialError } from '../errors/AxialError.js';
import type { InputScan, ScannedSeries, ScanProgress } from '../input/scanInput.js';
import { createVolume, type Volume, type VolumeGrid } from '../volume/Volume.js';
import type { Thumbnail } from '../studies/middleSliceThumbnail.js';
import type { OpenedMask } from './openMaskFile.js';
import type { LoaderFailure, LoaderOptions, LoaderReply, LoaderRequest, SeriesSummary } from './loaderMessages.js';

/** A series of a loader's scan: its load also gives the voxels' value range and the study list's thumbnail, made on the worker. */
export interface LoaderSeries extends ScannedSeries {
  /** `timePoint`: for a 4D series, which volume (0-based; default the first). */
  load(timePoint?: number): Promise<{ volume: Volume; warnings: string[]; range: [number, number]; thumbnail: Thumbnail | null }>;
}

/** A scan made by the loader: its series load in the loader's worker. */
export interface LoaderScan extends InputScan {
  readonly series: LoaderSeries[];
  /** Lets the worker drop what it keeps for this scan (its series can then still load, after a new scan). */
  forget(): void;
}

/** Scans and loads on a worker thread, so the thread that asks (Electron's main process) stays free. */
export interface VolumeLoader {
  /** Scans an input as scanInput does, headers read and parsed in the worker. */
  scan(path: string, options: LoaderOptions): Promise<LoaderScan>;
  /** Opens a DICOM SEG or a label map onto a volume's grid (openMaskFile), in the worker. */
  openMask(path: string, grid: VolumeGrid): Promise<OpenedMask>;
  /**
   * Ends the worker (and its decode pool) at once when it has work: every pending scan and load then
   * fails with LOAD_CANCELLED, and the next call starts a new worker. False when nothing was pending.
   * It answers without waiting for the thread to end (see {@link VolumeLoader.close}).
   */
  cancel(): Promise<boolean>;
  /**
   * Ends the worker; pending calls fail with LOAD_CANCELLED. It answers at once: the thread ends on its own,
   * as soon as no read of its is stuck.
   */
  close(): Promise<void>;
}

export interface VolumeLoaderOptions {
  /** Hears the files read while scanning and while loading (at most every 50 ms, and the last count). */
  readonly onProgress?: (progress: ScanProgress) => void;
  /** The compiled worker entry (default loaderWorker.js beside this module). */
  readonly workerUrl?: URL;
  /**
   * How long the worker may work without a word (an answer or a progress count) before it is taken
   * for hung, ended, and its calls failed (default 10 min: far above any legitimate pause, since every
   * DICOM file read reports progress and each frame's decoder has its own 60 s watchdog).
   */
  readonly silenceLimitMs?: number;
}

interface Pending {
  resolve(reply: LoaderReply): void;
  reject(error: Error): void;
  /** The input, named by errors that are not a file's own. */
  readonly path: string;
}

/** The compiled worker beside this module, or under dist/ when this module runs from source (Vitest). */
function defaultLoaderWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../dist/main/loader/loaderWorker.js', import.meta.url) : new URL('./loaderWorker.js', import.meta.url);
}

/**
 * Starts the loader (its worker begins with the first call). Errors keep their codes across the
 * thread boundary; a worker that dies fails its calls with INTERNAL naming the input.
 * @throws AxialError INTERNAL when the compiled worker module is missing (build with `npx tsc -b`).
 */
export function createVolumeLoader(options: VolumeLoaderOptions = {}): VolumeLoader {
  const workerUrl = options.workerUrl ?? defaultLoaderWorkerUrl();
  if (!existsSync(fileURLToPath(workerUrl))) {
    throw new AxialError('INTERNAL', 'the loader worker\'s module is missing (build with "npx tsc -b")', { file: fileURLToPath(workerUrl) });
  }
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let nextId = 1;
  const silenceLimitMs = options.silenceLimitMs ?? 600_000;
  let watchdog: NodeJS.Timeout | undefined;
  /** Ends the current worker's calls with INTERNAL (set with each worker). */
  let fail: ((why: string) => void) | undefined;
  /** Restarts the silence watchdog while work is pending; stops it when none is. */
  const heard = (): void => {
    clearTimeout(watchdog);
    const thread = worker;
    if (pending.size === 0 || thread === undefined) return;
    watchdog = setTimeout(() => {
      fail?.(`it gave no sign of progress for ${Math.round(silenceLimitMs / 1000)} s`);
      void thread.terminate();
    }, silenceLimitMs);
    watchdog.unref();
  };

  const failAll = (error: (path: string) => Error): void => {
    for (const call of pending.values()) call.reject(error(call.path));
    pending.clear();
  };

  const started = (): Worker => {
    if (worker) return worker;
    const created = new Worker(workerUrl, { stdout: false, stderr: false });
    worker = created;
    const died = (why: string): void => {
      if (worker !== created) return;
      worker = undefined;
      clearTimeout(watchdog);
      failAll((path) => new AxialError('INTERNAL', `the loader stopped: ${why}`, { file: path }));
    };
    created.on('message', (reply: LoaderReply) => {
      if (reply.type !== 'progress') {
        const call = pending.get(reply.id);
        pending.delete(reply.id);
        if (pending.size === 0) created.unref();
        if (reply.type === 'failed') call?.reject(errorOf(reply.failure, call.path));
        else call?.resolve(reply);
      } else options.onProgress?.(reply.progress);
      heard();
    });
    fail = died;
    created.on('error', (error) => died((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory' : error.message));
    created.on('exit', (code) => died(`exit code ${code}`));
    return created;
  };

  const ask = (request: Exclude<LoaderRequest, { type: 'forget' }>): Promise<LoaderReply> =>
    new Promise((resolve, reject) => {
      const thread = started();
      pending.set(request.id, { resolve, reject, path: request.path });
      // Only pending work keeps the process alive; an idle loader never holds it open.
      thread.ref();
      thread.postMessage(request);
      heard();
    });

  const stop = (): boolean => {
    const stopped = worker;
    const had = pending.size > 0;
    worker = undefined;
    clearTimeout(watchdog);
    failAll((path) => new AxialError('LOAD_CANCELLED', 'loading was cancelled', { file: path }));
    // Not awaited: terminate() settles only once the thread has ended, which a read stuck in the thread pool (a FIFO,
    // a share that stopped answering) holds off until the read returns; that would hold the cancel, and quitting, too.
    void stopped?.terminate();
    return had;
  };

  return {
    async scan(path, loaderOptions) {
      const scanId = nextId++;
      const reply = await ask({ type: 'scan', id: scanId, path, options: loaderOptions });
      if (reply.type !== 'scanned') throw new AxialError('INTERNAL', `the loader answered a scan with ${reply.type}`, { file: path });
      const generation = worker;
      const load = async (summary: SeriesSummary, timePoint: number | undefined): ReturnType<LoaderSeries['load']> => {
        const { index, uid, files } = summary;
        const request = { type: 'load', id: nextId++, scanId, path, options: loaderOptions, index, uid, fileCount: files.length } as const;
        const answer = await ask(timePoint === undefined ? request : { ...request, timePoint });
        if (answer.type !== 'loaded') throw new AxialError('INTERNAL', `the loader answered a load with ${answer.type}`, { file: path });
        return { volume: createVolume(answer.volume), warnings: [...answer.warnings], range: answer.range, thumbnail: answer.thumbnail };
      };
      const series: LoaderSeries[] = reply.series.map((summary) => ({ ...summary, load: (timePoint?: number) => load(summary, timePoint) }));
      return {
        series,
        skipped: [...reply.skipped],
        forget: () => {
          if (worker !== undefined && worker === generation) worker.postMessage({ type: 'forget', scanId } satisfies LoaderRequest);
        },
      };
    },
    async openMask(path, grid) {
      const { dimensions, spacing, origin, direction, metadata } = grid;
      const reply = await ask({ type: 'openMask', id: nextId++, path, grid: { dimensions, spacing, origin, direction, metadata } });
      if (reply.type !== 'maskOpened') throw new AxialError('INTERNAL', `the loader answered a mask with ${reply.type}`, { file: path });
      return reply.mask;
    },
    cancel: () => Promise.resolve(pending.size > 0 && stop()),
    close: () => {
      stop();
      return Promise.resolve();
    },
  };
}

/**
 * An error from the worker as the AxialError it was; one nobody raised on purpose stays a plain Error naming
 * the input, so the services log it whole (with the worker's stack) and show one line.
 */
function errorOf(failure: LoaderFailure, path: string): Error {
  if (failure.code === undefined) return new Error(`${path}: the loader failed: ${failure.message}`);
  return new AxialError(failure.code, failure.message, { file: failure.file });
}
