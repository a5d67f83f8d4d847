import { AxialError } from '../../errors/AxialError.js';
import type { PixelFormat } from '../PixelFormat.js';
import { createEmscriptenCodec } from './createEmscriptenCodec.js';
import type { DecodedSamples } from './DecodedSamples.js';
import { readJpegFrameHeader } from './readJpegFrameHeader.js';

const libjpegTurbo = createEmscriptenCodec({
  name: 'libjpeg-turbo',
  importFactory: () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
  className: 'JPEGDecoder',
});

/**
 * Decodes one 8-bit DCT JPEG frame (baseline, extended or progressive) with libjpeg-turbo.
 *
 * @param syntaxName - the transfer syntax, to name it when refusing 12-bit samples.
 * @throws AxialError DICOM_UNSUPPORTED_TRANSFER_SYNTAX for 12-bit samples: the libjpeg-turbo
 *   build is 8-bit only.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the stream has no frame header, its size or
 *   precision is impossible or differs from the DICOM header's, or libjpeg-turbo fails.
 */
export async function decodeJpegBaseline(bytes: Uint8Array, format: PixelFormat, file: string, syntaxName = 'JPEG'): Promise<DecodedSamples> {
  let header;
  try {
    header = readJpegFrameHeader(bytes);
  } catch (error) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `JPEG frame: ${(error as Error).message}`, { file, cause: error });
  }
  if (header.precision !== 8 && header.precision !== 12) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `the JPEG frame header gives a sample precision of ${header.precision} bits; DCT JPEG has 8 or 12`, { file });
  }
  assertFrameSize(header, format, 'JPEG', file);
  if (header.precision === 12) {
    throw new AxialError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `${syntaxName} with ${header.precision}-bit samples cannot be decoded: the bundled libjpeg-turbo decoder handles 8-bit JPEG only, and no 12-bit JPEG decoder is installed`,
      { file },
    );
  }
  return libjpegTurbo.decode(bytes, file);
}

/**
 * Refuses a JPEG whose frame header disagrees with Rows/Columns, before a decoder allocates
 * for whatever size a damaged header claims.
 *
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA on a mismatch.
 */
export function assertFrameSize(header: { rows: number; columns: number }, format: PixelFormat, codestream: string, file: string): void {
  if (header.rows !== format.rows || header.columns !== format.columns) {
    throw new AxialError(
      'DICOM_CORRUPT_PIXEL_DATA',
      `the ${codestream} frame is ${header.columns}x${header.rows} but the DICOM header says Columns ${format.columns}, Rows ${format.rows}`,
      { file },
    );
  }
}
