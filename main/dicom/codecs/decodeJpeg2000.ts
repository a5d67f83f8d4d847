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
 * itself; a stream that only lacks its final EOC marker is complete and is decoded.
 *
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when OpenJPEG fails or returns no image.
 */
export async function decodeJpeg2000(bytes: Uint8Array, file: string): Promise<DecodedSamples> {
  return openJpeg.decode(bytes, file);
}
