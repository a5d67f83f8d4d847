import { AxialError } from '../../errors/AxialError.js';
import type { JpegFrameHeader } from './readJpegFrameHeader.js';

/**
 * The most pixels one bit of JPEG-LS can stand for: in run mode a '1' bit codes 2^J[RUNindex]
 * samples of the run, and J (T.87 A.7.1.2) reaches 15 at most.
 */
const JPEG_LS_SAMPLES_PER_BIT = 2 ** 15;

/**
 * Refuses a JPEG or JPEG-LS frame whose header claims more pixels than its bytes can code, before
 * a decoder allocates for them or invents the missing ones (jpeg-lossless-decoder-js and
 * libjpeg-turbo fill a short stream and report success; CharLS works for seconds first). The
 * bounds come from the coding, whatever the tables say, since no Huffman code is shorter than a
 * bit:
 * - sequential DCT (SOF0, SOF1): each 8x8 block is a DC code and an AC code (EOB), two bits;
 * - progressive DCT (SOF2): the first DC scan codes each block with a bit at least;
 * - lossless (SOF3): each sample's difference is a Huffman code, a bit at least;
 * - JPEG-LS (SOF55): each line ends a run or codes a sample, a bit at least, and no bit codes
 *   more than 2^15 samples.
 * Arithmetic-coded and hierarchical frames have no such bound; DICOM's JPEG transfer syntaxes
 * that Axial decodes are Huffman-coded and non-hierarchical, so they are refused.
 *
 * @param byteLength - the whole frame's bytes, an upper bound on its entropy-coded data.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the bytes are too few for the frame.
 * @throws AxialError DICOM_UNSUPPORTED_TRANSFER_SYNTAX for arithmetic-coded or hierarchical frames.
 */
export function assertJpegFrameFitsBytes(header: JpegFrameHeader, byteLength: number, file: string): void {
  const { sofMarker, rows, columns } = header;
  const bits = 8 * byteLength;
  const samples = rows * columns;
  const blocks = Math.ceil(rows / 8) * Math.ceil(columns / 8);
  const refuse = (need: string): AxialError =>
    new AxialError(
      'DICOM_CORRUPT_PIXEL_DATA',
      `the ${sofMarker === 0xf7 ? 'JPEG-LS' : 'JPEG'} frame header claims ${columns}x${rows} pixels, which need ${need}, ` +
        `but the frame holds ${byteLength} bytes: it is truncated or its header is wrong`,
      { file },
    );
  if (sofMarker === 0xc0 || sofMarker === 0xc1) {
    if (2 * blocks > bits) throw refuse(`${blocks} blocks of at least two bits`);
  } else if (sofMarker === 0xc2) {
    if (blocks > bits) throw refuse(`${blocks} blocks of at least a bit`);
  } else if (sofMarker === 0xc3) {
    if (samples > bits) throw refuse(`${samples} samples of at least a bit`);
  } else if (sofMarker === 0xf7) {
    if (rows > bits) throw refuse(`${rows} lines of at least a bit`);
    if (samples > bits * JPEG_LS_SAMPLES_PER_BIT) throw refuse(`${samples} samples, at most ${JPEG_LS_SAMPLES_PER_BIT} a bit`);
  } else {
    throw new AxialError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `the JPEG frame is SOF${sofMarker - 0xc0} (arithmetic-coded or hierarchical); only Huffman-coded, non-hierarchical JPEG is decoded`,
      { file },
    );
  }
}
