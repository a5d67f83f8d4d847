import type { PixelFormat } from '../PixelFormat.js';
import { assertEndMarker } from './assertEndMarker.js';
import { assertJpeg2000FitsFormat } from './assertJpeg2000FitsFormat.js';
import { createEmscriptenCodec } from './createEmscriptenCodec.js';
import type { DecodedSamples } from './DecodedSamples.js';

const openJph = createEmscriptenCodec({
  name: 'OpenJPH',
  importFactory: () => import('@cornerstonejs/codec-openjph/wasmjs'),
  className: 'HTJ2KDecoder',
});

/**
 * Decodes one High-Throughput JPEG 2000 frame (Part 15) with OpenJPH.
 *
 * OpenJPH decodes a truncated codestream without complaint, filling what is missing, so the
 * stream must end with its EOC marker; its SIZ segment is checked against the DICOM header
 * before OpenJPH allocates for it (assertJpeg2000FitsFormat).
 *
 * @param into - a spare buffer the decoded bytes may go to (see createEmscriptenCodec).
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the EOC marker is missing, the codestream's
 *   size, components or tiles disagree with the header or its bytes, or OpenJPH fails or
 *   returns no image.
 */
export async function decodeHtj2k(bytes: Uint8Array, format: PixelFormat, file: string, into?: ArrayBuffer): Promise<DecodedSamples> {
  assertEndMarker(bytes, 'HTJ2K', file);
  assertJpeg2000FitsFormat(bytes, format, 'HTJ2K', file);
  return openJph.decode(bytes, file, into);
}
