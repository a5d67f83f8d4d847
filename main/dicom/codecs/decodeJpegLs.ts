import { AxialError } from '../../errors/AxialError.js';
import type { PixelFormat } from '../PixelFormat.js';
import { assertEndMarker } from './assertEndMarker.js';
import { assertJpegFrameFitsBytes } from './assertJpegFrameFitsBytes.js';
import { createEmscriptenCodec } from './createEmscriptenCodec.js';
import type { DecodedSamples } from './DecodedSamples.js';
import { assertFrameSize } from './decodeJpegBaseline.js';
import { readJpegFrameHeader } from './readJpegFrameHeader.js';

const charls = createEmscriptenCodec({
  name: 'CharLS',
  importFactory: () => import('@cornerstonejs/codec-charls/decodewasmjs'),
  className: 'JpegLSDecoder',
});

/**
 * Decodes one JPEG-LS frame, lossless or near-lossless, with CharLS.
 *
 * CharLS does refuse a truncated stream, but only after seconds spent decoding past its end, so
 * the stream must end with its EOI marker before CharLS sees it.
 *
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the EOI marker is missing, the stream has no
 *   JPEG-LS frame header (SOF55), its size differs from the DICOM header's or is more than its
 *   bytes can code (assertJpegFrameFitsBytes), or CharLS fails.
 */
export async function decodeJpegLs(bytes: Uint8Array, format: PixelFormat, file: string): Promise<DecodedSamples> {
  assertEndMarker(bytes, 'JPEG-LS', file);
  let header;
  try {
    header = readJpegFrameHeader(bytes);
  } catch (error) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `JPEG-LS frame: ${(error as Error).message}`, { file, cause: error });
  }
  assertFrameSize(header, format, 'JPEG-LS', file);
  if (header.sofMarker !== 0xf7) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `the JPEG-LS frame header is SOF${header.sofMarker - 0xc0}, not SOF55 (FFF7)`, { file });
  }
  assertJpegFrameFitsBytes(header, bytes.length, file);
  return charls.decode(bytes, file);
}
