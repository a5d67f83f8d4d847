import { AxialError } from '../../errors/AxialError.js';
import type { PixelFormat } from '../PixelFormat.js';
import { assertFrameSize } from './decodeJpegBaseline.js';
import { readJpeg2000Size } from './readJpeg2000Size.js';

/** A tile-part is at least an SOT segment (12 bytes) and an SOD marker (2): T.800 A.4.2, A.4.4. */
const MIN_TILE_PART_BYTES = 14;

/**
 * Refuses a JPEG 2000 or HTJ2K frame whose codestream disagrees with the DICOM header, before
 * the WebAssembly decoder allocates for it: its SIZ size must be Columns x Rows, it must have
 * one component, and its bytes must hold at least one tile-part per tile (OpenJPEG sets up
 * every tile that SIZ describes, so 1x1 tiles would cost kilobytes each).
 *
 * @param codestream - for messages, e.g. 'JPEG 2000'.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA on any disagreement, or when there is no SIZ to read.
 */
export function assertJpeg2000FitsFormat(bytes: Uint8Array, format: PixelFormat, codestream: string, file: string): void {
  let size;
  try {
    size = readJpeg2000Size(bytes);
  } catch (error) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `${codestream} frame: ${(error as Error).message}`, { file, cause: error });
  }
  assertFrameSize(size, format, codestream, file);
  if (size.componentCount !== 1) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `the ${codestream} codestream has ${size.componentCount} components; a grayscale frame has 1`, { file });
  }
  if (size.tileCount * MIN_TILE_PART_BYTES > size.codestreamBytes) {
    throw new AxialError(
      'DICOM_CORRUPT_PIXEL_DATA',
      `the ${codestream} codestream describes ${size.tileCount} tiles, ` +
        `but its ${size.codestreamBytes} bytes hold at most ${Math.floor(size.codestreamBytes / MIN_TILE_PART_BYTES)} tile-parts`,
      { file },
    );
  }
}
