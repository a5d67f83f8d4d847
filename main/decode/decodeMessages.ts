import type { AxialErrorCode } from '../errors/AxialError.js';
import type { FrameDecodeJob } from '../dicom/FrameDecodePool.js';

/** The typed arrays a decoded frame may come back as (decodeFrame's StoredValues), by constructor name. */
export const storedArrayTypes = { Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array } as const;
export type StoredArrayType = keyof typeof storedArrayTypes;

/** Pool → worker: one frame; `bytes` is transferred. */
export interface DecodeRequest extends FrameDecodeJob {
  readonly id: number;
}

/** Worker → pool: the decoded values' buffer, transferred (the whole buffer is the frame's values). */
export interface DecodeAnswer {
  readonly id: number;
  readonly ok: true;
  readonly type: StoredArrayType;
  readonly buffer: ArrayBuffer;
}

/** Worker → pool: decodeFrame threw; an AxialError travels as its code, its message without the file, and its file. */
export interface DecodeRefusal {
  readonly id: number;
  readonly ok: false;
  readonly code: AxialErrorCode | undefined;
  readonly message: string;
  readonly file: string | undefined;
}

export type DecodeReply = DecodeAnswer | DecodeRefusal;
