import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface InflateIntoParams {
  /** The gzip file, streamed from disk so it is never held whole. */
  readonly path: string;
  /** Called with the first bytes once at least `headerBytes` are out; returns the total bytes wanted. */
  readonly headerBytes: number;
  readonly sizeFromHeader: (header: Uint8Array) => number;
}

export interface InflateIntoResult {
  /** Exactly the bytes asked for, from the start of the uncompressed stream. */
  readonly bytes: Uint8Array;
}

/** Why inflation stopped short: the caller maps these onto its own format's error codes. */
export class InflateError extends Error {
  constructor(
    readonly reason: 'corrupt' | 'short',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Gunzips into one buffer allocated once the header says how large the
 * data is, and stops as soon as it holds that many bytes: peak memory is the
 * wanted bytes plus a megabyte of stream buffers, and a 4D file's later
 * volumes are never inflated.
 * @throws InflateError when the stream is corrupt or ends before the wanted bytes; errors thrown by `sizeFromHeader` propagate.
 */
export function inflateInto(params: InflateIntoParams): Promise<InflateIntoResult> {
  return new Promise((resolvePromise, rejectPromise) => {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    const file = createReadStream(params.path, { highWaterMark: 1 << 20 });
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let output: Uint8Array | undefined;
    let filled = 0;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      gunzip.removeAllListeners('data');
      file.destroy();
      gunzip.destroy();
      if (error) rejectPromise(error);
      else resolvePromise({ bytes: output!.subarray(0, filled) });
    };
    const append = (chunk: Uint8Array): void => {
      const target = output!;
      const take = Math.min(chunk.length, target.length - filled);
      target.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
      filled += take;
      if (filled === target.length) finish();
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (output) return append(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < params.headerBytes) return;
      const head = Buffer.concat(pending);
      pending = [];
      try {
        output = new Uint8Array(params.sizeFromHeader(head));
      } catch (error) {
        return finish(error as Error);
      }
      append(head);
    });
    gunzip.on('error', (error) => finish(new InflateError('corrupt', error.message)));
    gunzip.on('end', () => {
      if (!output) {
        if (pending.length === 0) return finish(new InflateError('short', 'no data after decompression'));
        const head = Buffer.concat(pending);
        try {
          output = new Uint8Array(params.sizeFromHeader(head));
        } catch (error) {
          return finish(error as Error);
        }
        append(head);
      }
      if (!settled) finish(new InflateError('short', `decompressed ${filled} of ${output.length} bytes`));
    });
    file.on('error', (error) => finish(new InflateError('corrupt', `cannot read: ${error.message}`)));
    file.pipe(gunzip);
  });
}
