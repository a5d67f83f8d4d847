import type { AxialErrorCode } from '../errors/AxialError.js';
import type { FrameDecodeJob } from '../dicom/FrameDecodePool.js';

/** The typed arrays a decoded frame may come back as (decodeFrame's StoredValues), by constructor name. */
export const storedArrayTypes = { Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array } as const;
export type StoredArrayType = keyof typeof storedArrayTypes;

/**
 * Pool → worker: one frame, its encoded bytes the first `length` of `bytes`; `bytes` is transferred, and
 * `into`, a decoded frame's buffer given back to decode into.
 */
export interface DecodeRequest extends Omit<FrameDecodeJob, 'bytes'> {
  readonly id: number;
  readonly bytes: ArrayBuffer;
  readonly length: number;
  readonly into?: ArrayBuffer;
}

/** Worker → pool: the decoded values' buffer, transferred (the whole buffer is the frame's values). */
export interface DecodeAnswer {
  readonly id: number;
  readonly ok: true;
  readonly type: StoredArrayType;
  readonly buffer: ArrayBuffer;
  /** The request's `bytes`, sent back for the pool to copy a later frame into. */
  readonly spent?: ArrayBuffer;
}

/** Worker → pool: decodeFrame threw; an AxialError travels as its code, its message without the file, and its file. */
export interface DecodeRefusal {
  readonly id: number;
  readonly ok: false;
  readonly code: AxialErrorCode | undefined;
  readonly message: string;
  readonly file: string | undefined;
  readonly spent?: ArrayBuffer;
}

export type DecodeReply = DecodeAnswer | DecodeRefusal;
