import { AxialError } from '../../errors/AxialError.js';
import type { PixelFormat } from '../PixelFormat.js';
import { assertJpegFrameFitsBytes } from './assertJpegFrameFitsBytes.js';
import { createEmscriptenCodec } from './createEmscriptenCodec.js';
import type { DecodedSamples } from './DecodedSamples.js';
import { decodeJpegSequentialDct } from './decodeJpegSequentialDct.js';
import { readJpegFrameHeader } from './readJpegFrameHeader.js';

const libjpegTurbo = createEmscriptenCodec({
  name: 'libjpeg-turbo',
  importFactory: () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
  className: 'JPEGDecoder',
});

/** SOF0 (baseline) and SOF1 (extended sequential, Huffman): what decodeJpegSequentialDct decodes. */
const SEQUENTIAL_HUFFMAN_FRAMES = new Set([0xc0, 0xc1]);

/**
 * Decodes one DCT JPEG frame: 8-bit frames (baseline, extended or progressive) with
 * libjpeg-turbo, 12-bit sequential ones (SOF0, SOF1: JPEG Extended, process 4) with Axial's own
 * decodeJpegSequentialDct, since the libjpeg-turbo build is 8-bit only.
 *
 * @param syntaxName - the transfer syntax, to name it when refusing 12-bit progressive frames.
 * @throws AxialError DICOM_UNSUPPORTED_TRANSFER_SYNTAX for 12-bit frames other than sequential
 *   Huffman-coded DCT (progressive ones, as the retired .53 and .55 syntaxes hold), and for
 *   arithmetic-coded or hierarchical frames.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the stream has no frame header, its size or
 *   precision is impossible or differs from the DICOM header's, its bytes are too few for its
 *   size (assertJpegFrameFitsBytes), or the decoder fails.
 */
export async function decodeJpegBaseline(bytes: Uint8Array, format: PixelFormat, file: string, syntaxName = 'JPEG'): Promise<DecodedSamples> {
  let header;
  try {
    header = readJpegFrameHeader(bytes);
  } catch (error) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `JPEG frame: ${(error as Error).message}`, { file, cause: error });
  }
  if (header.precision !== 8 && header.precision !== 12) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `the JPEG frame header gives a sample precision of ${header.precision} bits; DCT JPEG has 8 or 12`, {
      file,
    });
  }
  assertFrameSize(header, format, 'JPEG', file);
  assertJpegFrameFitsBytes(header, bytes.length, file);
  if (header.precision === 8) return libjpegTurbo.decode(bytes, file);
  if (!SEQUENTIAL_HUFFMAN_FRAMES.has(header.sofMarker)) {
    const frame = `SOF${header.sofMarker - 0xc0}`;
    throw new AxialError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `${syntaxName} with 12-bit samples in a ${header.sofMarker === 0xc2 ? `progressive (${frame})` : frame} frame cannot be decoded: ` +
        "the bundled libjpeg-turbo decoder handles 8-bit JPEG only, and Axial's own 12-bit decoder handles sequential DCT (SOF0, SOF1) only",
      { file },
    );
  }
  const image = decodeJpegSequentialDct(bytes, file);
  return { columns: image.width, rows: image.height, componentCount: 1, samples: image.samples };
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
