import type { PixelFormat } from '../PixelFormat.js';
import { assertJpeg2000FitsFormat } from './assertJpeg2000FitsFormat.js';
import { createEmscriptenCodec } from './createEmscriptenCodec.js';
import type { DecodedSamples } from './DecodedSamples.js';

const openJpeg = createEmscriptenCodec({
  name: 'OpenJPEG',
  importFactory: () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
  className: 'J2KDecoder',
});

/**
 * Decodes one JPEG 2000 frame (Part 1 codestream, reversible or irreversible) with OpenJPEG.
 * OpenJPEG checks each tile-part's length against the stream, so it refuses truncated frames
 * itself; a stream that only lacks its final EOC marker is complete and is decoded. Its SIZ
 * segment is checked against the DICOM header first (assertJpeg2000FitsFormat).
 *
 * @param into - a spare buffer the decoded bytes may go to (see createEmscriptenCodec).
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the codestream's size, components or tiles
 *   disagree with the header or its bytes, or OpenJPEG fails or returns no image.
 */
export async function decodeJpeg2000(bytes: Uint8Array, format: PixelFormat, file: string, into?: ArrayBuffer): Promise<DecodedSamples> {
  assertJpeg2000FitsFormat(bytes, format, 'JPEG 2000', file);
  return openJpeg.decode(bytes, file, into);
}
