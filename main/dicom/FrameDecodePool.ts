import type { StoredValues } from './decodeFrame.js';
import type { PixelFormat } from './PixelFormat.js';

/** One compressed frame to decode off this thread: what decodeFrame takes, with the bytes in a buffer of their own. */
export interface FrameDecodeJob {
  readonly transferSyntaxUid: string;
  readonly format: PixelFormat;
  /** The frame's encoded bytes and nothing else: the buffer is transferred, so the caller must not use it again. */
  readonly bytes: ArrayBuffer;
  /** Names the file in errors. */
  readonly file: string;
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
}
