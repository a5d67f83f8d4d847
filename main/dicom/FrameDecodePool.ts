import type { StoredValues } from './decodeFrame.js';
import type { FrameRescale } from './FrameRescale.js';
import type { PixelFormat } from './PixelFormat.js';

/** One compressed frame to decode off this thread: what decodeFrame takes, with the bytes in a buffer of their own. */
export interface FrameDecodeJob {
  readonly transferSyntaxUid: string;
  readonly format: PixelFormat;
  /**
   * The frame's encoded bytes: a buffer of its own, which is transferred (the caller must not use it
   * again), or a view that the pool copies into a buffer it keeps reusing (no new buffer a frame).
   */
  readonly bytes: ArrayBuffer | Uint8Array;
  /** Names the file in errors. */
  readonly file: string;
  /** When given, the values come back rescaled into the volume's 16-bit type (see decodeFrame). */
  readonly rescale?: FrameRescale;
}

/**
 * Decodes frames in parallel (main/decode/createDecodePool). loadDicomVolume sees only this, so
 * the readers' layer need not know about worker threads; whoever loads a series passes one in.
 */
export interface FrameDecodePool {
  /** How many frames decode at once. */
  readonly threads: number;
  /**
   * decodeFrame's answer for the job, computed elsewhere.
   * @throws AxialError as decodeFrame, or DICOM_CORRUPT_PIXEL_DATA when the decoder dies or runs over its time.
   */
  decode(job: FrameDecodeJob): Promise<StoredValues>;
  /**
   * Takes back the buffer of values `decode` gave, once they are copied out, for a later frame to
   * decode into: a 512×512 series would otherwise leave 150 MiB of frame buffers for the GC,
   * tens of MiB of which sat in memory at once. The caller must not use the buffer again.
   */
  recycle?(buffer: ArrayBuffer): void;
}
