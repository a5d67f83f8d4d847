import { Decoder } from 'jpeg-lossless-decoder-js';
import { AxialError } from '../../errors/AxialError.js';
import type { PixelFormat } from '../PixelFormat.js';
import { assertEndMarker } from './assertEndMarker.js';
import { assertJpegFrameFitsBytes } from './assertJpegFrameFitsBytes.js';
import type { DecodedSamples } from './DecodedSamples.js';
import { assertFrameSize } from './decodeJpegBaseline.js';
import { readJpegFrameHeader } from './readJpegFrameHeader.js';

/** Bytes put in place of the EOI marker; see decodeJpegLossless. */
const EOI_REPLACEMENT = new Uint8Array(4);

/**
 * Decodes one JPEG Lossless frame (process 14, any predictor) with jpeg-lossless-decoder-js.
 *
 * jpeg-lossless-decoder-js 2.1.2 drops the last pixel when the EOI marker directly follows the
 * last Huffman code (its Huffman reader sees the marker while looking ahead and ends the scan one
 * pixel early). The stream is therefore checked for its EOI, then decoded with zero bytes in
 * place of it: the decoder stops after Rows x Columns pixels either way.
 *
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the stream is truncated (no EOI), not a
 *   single-component lossless JPEG of the DICOM header's size, holds fewer bits than it has
 *   samples (assertJpegFrameFitsBytes), or fails to decode.
 */
export async function decodeJpegLossless(bytes: Uint8Array, format: PixelFormat, file: string): Promise<DecodedSamples> {
  assertEndMarker(bytes, 'JPEG Lossless', file);
  try {
    const header = readJpegFrameHeader(bytes);
    if (header.sofMarker !== 0xc3 || header.componentCount !== 1 || header.precision > 16) {
      throw new Error(
        `expected a single-component lossless frame (SOF3) of at most 16 bits, ` +
          `found SOF${header.sofMarker - 0xc0} with ${header.componentCount} component(s) of ${header.precision} bits`,
      );
    }
    assertFrameSize(header, format, 'JPEG Lossless', file);
    assertJpegFrameFitsBytes(header, bytes.length, file);
    const stream = withoutEndMarker(bytes);
    const decoder = new Decoder();
    const samples = decoder.decode(stream.buffer, stream.byteOffset, stream.length, header.precision > 8 ? 2 : 1);
    return { columns: decoder.xDim, rows: decoder.yDim, componentCount: decoder.numComp, samples };
  } catch (error) {
    if (error instanceof AxialError) throw error;
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `jpeg-lossless-decoder-js could not decode the frame: ${(error as Error).message}`, {
      file,
      cause: error,
    });
  }
}

function withoutEndMarker(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const stream = new Uint8Array(end - 2 + EOI_REPLACEMENT.length);
  stream.set(bytes.subarray(0, end - 2));
  stream.set(EOI_REPLACEMENT, end - 2);
  return stream;
}
