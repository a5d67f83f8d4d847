import { AxialError } from '../../errors/AxialError.js';

/**
 * Refuses a codestream that does not end with FF D9: EOI in JPEG and JPEG-LS, EOC in JPEG 2000.
 * It is for decoders that make up pixels for the missing tail of a truncated stream and report
 * success (jpeg-lossless-decoder-js, OpenJPH), or take seconds to notice it (CharLS). DICOM pads
 * odd-length fragments with one zero byte, and some writers pad more, so trailing zeros are
 * skipped.
 *
 * @param codestream - for the message, e.g. 'HTJ2K'.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the end marker is missing.
 */
export function assertEndMarker(bytes: Uint8Array, codestream: string, file: string): void {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end < 2 || bytes[end - 2] !== 0xff || bytes[end - 1] !== 0xd9) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `the ${codestream} codestream does not end with its end marker (FFD9): it is truncated`, { file });
  }
}
