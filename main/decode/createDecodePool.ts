import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StoredValues } from '../dicom/decodeFrame.js';
import type { FrameDecodeJob, FrameDecodePool } from '../dicom/FrameDecodePool.js';
import { AxialError } from '../errors/AxialError.js';
import { storedArrayTypes, type DecodeReply, type DecodeRequest } from './decodeMessages.js';

export interface DecodePoolOptions {
  /** Worker threads (default os.availableParallelism()). */
  readonly threads?: number;
  /** How long one frame may take before its worker is killed (default 60 s). */
  readonly timeoutMs?: number;
  /** The compiled worker entry (default decodeWorker.js beside this module). Tests pass their own. */
  readonly workerUrl?: URL;
}

/** A pool of decode workers; started lazily, so a series that never sends it a frame pays nothing. */
export interface DecodePool extends FrameDecodePool {
  /** Ends every worker; jobs not yet answered fail. The pool takes no jobs after. */
  close(): Promise<void>;
}

interface Job {
  readonly request: DecodeRequest;
  resolve(values: StoredValues): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker | undefined;
  /** The old-generation limit the worker was started with, in MiB. */
  heapMb: number;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
}

const defaultTimeoutMs = 60_000;

/** The compiled worker beside this module, or under dist/ when this module runs from source (Vitest). */
export function defaultDecodeWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../dist/main/decode/decodeWorker.js', import.meta.url) : new URL('./decodeWorker.js', import.meta.url);
}

/**
 * Decodes DICOM frames on worker threads. Each job's encoded bytes go to a worker and the decoded
 * values come back, both as transferred buffers. A worker runs under resourceLimits sized from its
 * frames and a watchdog: one that dies, runs out of memory or over its time is terminated and
 * replaced, and only its job fails, naming the file.
 * @throws AxialError INTERNAL when the compiled worker module is missing (build with `npx tsc -b`).
 */
export function createDecodePool(options: DecodePoolOptions = {}): DecodePool {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const workerUrl = options.workerUrl ?? defaultDecodeWorkerUrl();
  if (!existsSync(fileURLToPath(workerUrl))) {
    throw new AxialError('INTERNAL', 'the decode worker\'s module is missing (build with "npx tsc -b")', { file: fileURLToPath(workerUrl) });
  }
  const slots: Slot[] = Array.from({ length: threads }, () => ({ worker: undefined, heapMb: 0, job: undefined, timer: undefined }));
  const waiting: Job[] = [];
  // Decoded frames' buffers given back (recycle), sent out again for frames to decode into; only while
  // frames are in flight, so a long-lived pool holds none between loads.
  const spare: ArrayBuffer[] = [];
  const spareEncoded: ArrayBuffer[] = [];
  const busy = (): boolean => waiting.length > 0 || slots.some((slot) => slot.job !== undefined);
  /** The job's encoded bytes in a buffer to transfer: its own, or a copy in a spare one (or a new one a little larger, to be reused). */
  const encodedBuffer = (bytes: ArrayBuffer | Uint8Array): { buffer: ArrayBuffer; length: number } => {
    if (bytes instanceof ArrayBuffer) return { buffer: bytes, length: bytes.byteLength };
    const i = spareEncoded.findIndex((b) => b.byteLength >= bytes.length);
    const buffer = i >= 0 ? spareEncoded.splice(i, 1)[0]! : new ArrayBuffer(Math.ceil(bytes.length * 1.25));
    new Uint8Array(buffer).set(bytes);
    return { buffer, length: bytes.length };
  };
  let nextId = 0;
  let closed = false;

  /** Ends a slot's worker and fails its job, if it has one; the slot starts a new worker for its next job. */
  const retire = (slot: Slot, why: string): void => {
    const { worker, job } = slot;
    clearTimeout(slot.timer);
    Object.assign(slot, { worker: undefined, heapMb: 0, job: undefined, timer: undefined });
    if (worker) void worker.terminate();
    if (job) {
      const { file, format } = job.request;
      job.reject(new AxialError('DICOM_CORRUPT_PIXEL_DATA', `a ${format.columns}x${format.rows} frame could not be decoded: ${why}`, { file }));
    }
    dispatch();
  };

  const finish = (slot: Slot, reply: DecodeReply): void => {
    const job = slot.job;
    if (job === undefined || job.request.id !== reply.id) return;
    clearTimeout(slot.timer);
    if (reply.spent && spareEncoded.length < 2 * threads) spareEncoded.push(reply.spent);
    slot.job = undefined;
    slot.worker?.unref();
    if (reply.ok) job.resolve(new storedArrayTypes[reply.type](reply.buffer));
    else job.reject(reply.code ? new AxialError(reply.code, reply.message, { file: reply.file }) : new Error(reply.message));
    dispatch();
    if (!busy()) {
      spare.length = 0;
      spareEncoded.length = 0;
    }
  };

  const start = (slot: Slot, heapMb: number): Worker => {
    const worker = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: heapMb }, stdout: false, stderr: false });
    Object.assign(slot, { worker, heapMb });
    worker.on('message', (reply: DecodeReply) => finish(slot, reply));
    worker.on('error', (error) => {
      if (slot.worker !== worker) return;
      const outOfMemory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      retire(slot, outOfMemory ? `the decoder ran out of memory (${heapMb} MiB)` : `the decoder failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (slot.worker === worker) retire(slot, `the decoder stopped (exit code ${code})`);
    });
    return worker;
  };

  const dispatch = (): void => {
    for (const slot of slots) {
      if (closed || waiting.length === 0) return;
      if (slot.job !== undefined) continue;
      const job = waiting.shift()!;
      const needMb = heapFor(job.request);
      // A worker sized for smaller frames is replaced: its limit is fixed when it starts.
      if (slot.worker && slot.heapMb < needMb) {
        void slot.worker.terminate();
        slot.worker = undefined;
      }
      const worker = slot.worker ?? start(slot, needMb);
      slot.job = job;
      slot.timer = setTimeout(() => retire(slot, `the decoder took longer than ${timeoutMs / 1000} s`), timeoutMs);
      // Only a busy worker keeps the process alive; an idle pool never holds it open.
      worker.ref();
      const into = spare.pop();
      worker.postMessage(into ? { ...job.request, into } : job.request, into ? [job.request.bytes, into] : [job.request.bytes]);
    }
  };

  return {
    threads,
    decode(job: FrameDecodeJob): Promise<StoredValues> {
      if (closed) return Promise.reject(new AxialError('INTERNAL', 'the decode pool is closed', { file: job.file }));
      return new Promise((resolve, reject) => {
        const { buffer, length } = encodedBuffer(job.bytes);
        waiting.push({ request: { ...job, bytes: buffer, length, id: nextId++ }, resolve, reject });
        dispatch();
      });
    },
    recycle(buffer: ArrayBuffer): void {
      if (!closed && busy() && buffer.byteLength > 0 && spare.length < 2 * threads) spare.push(buffer);
    },
    async close(): Promise<void> {
      closed = true;
      spare.length = 0;
      spareEncoded.length = 0;
      const stopped = new AxialError('INTERNAL', 'the decode pool was closed');
      for (const job of waiting.splice(0)) job.reject(stopped);
      const workers = slots.map((slot) => {
        const { worker, job } = slot;
        clearTimeout(slot.timer);
        Object.assign(slot, { worker: undefined, job: undefined, timer: undefined });
        job?.reject(stopped);
        return worker?.terminate();
      });
      await Promise.all(workers);
    },
  };
}

/**
 * The old-generation heap for a frame: a base for the codec's own objects, and room for eight
 * copies of the frame's encoded and decoded bytes (the codecs' typed arrays live outside this
 * heap, so this bounds the JavaScript decoders' runaway allocations rather than the frame itself).
 */
function heapFor(request: DecodeRequest): number {
  const { rows, columns, samplesPerPixel, bitsAllocated } = request.format;
  const bytes = request.length + rows * columns * samplesPerPixel * Math.ceil(bitsAllocated / 8);
  return 64 + Math.ceil((8 * bytes) / 2 ** 20);
}
