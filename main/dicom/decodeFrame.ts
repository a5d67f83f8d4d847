import { AxialError } from '../errors/AxialError.js';
import type { DecodedSamples } from './codecs/DecodedSamples.js';
import { decodeNative } from './codecs/decodeNative.js';
import { decodeRle } from './codecs/decodeRle.js';
import { TRANSFER_SYNTAX_CODECS, type FrameCodec } from './codecs/transferSyntaxCodecs.js';
import { createCells16Rescaler, type Cells16Rescaler } from './createCells16Rescaler.js';
import type { FrameRescale } from './FrameRescale.js';
import type { PixelFormat } from './PixelFormat.js';

/** Stored pixel values, one per pixel, row by row: signed when PixelRepresentation is 1. */
export type StoredValues = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/**
 * Decodes one grayscale frame into its stored values (before Modality LUT / rescale): BitsStored
 * bits taken from HighBit down, whatever the cell's other bits hold (overlays, garbage), and
 * sign-extended when PixelRepresentation is 1. The array's type follows BitsAllocated and
 * PixelRepresentation, e.g. Int16Array for signed 16-bit CT.
 *
 * Codecs are instantiated on first use and reused.
 *
 * @param bytes - one frame, as readFrameBytes returns it; left unmodified.
 * @param file - names the file in error messages.
 * @param rescale - when given, slope × stored + intercept is applied in the same pass and the
 *   values come back in its output type (Int16Array or Uint16Array), which must hold them all.
 * @param into - a spare buffer of a frame's decoded size that the JPEG 2000 codecs decode into
 *   instead of a new one (a pool worker's recycled frame); the values may then be a view of it.
 * @throws AxialError DICOM_UNSUPPORTED_TRANSFER_SYNTAX for a transfer syntax that has no codec
 *   here, or progressive or lossless-process JPEG with 12-bit samples.
 * @throws AxialError DICOM_UNSUPPORTED_PIXEL_FORMAT for colour (SamplesPerPixel above 1, or a
 *   PhotometricInterpretation other than MONOCHROME1/2), or BitsAllocated other than 8, 16, 32.
 * @throws AxialError DICOM_TRUNCATED when a native frame is shorter than Rows x Columns cells.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the codec fails, or decodes an image whose
 *   size or sample count differs from the DICOM header's.
 */
export async function decodeFrame(
  transferSyntaxUid: string,
  bytes: Uint8Array,
  format: PixelFormat,
  file: string,
  rescale?: FrameRescale,
  into?: ArrayBuffer,
): Promise<StoredValues> {
  const uid = transferSyntaxUid.trim();
  const syntax = TRANSFER_SYNTAX_CODECS[uid];
  if (syntax?.codec === undefined) {
    throw new AxialError('DICOM_UNSUPPORTED_TRANSFER_SYNTAX', `${syntax?.name ?? 'an unknown transfer syntax'} (${uid}) is not supported`, { file });
  }
  assertGrayscale(format, file);
  const label = `${syntax.name} (${uid})`;
  let decoded: DecodedSamples;
  try {
    decoded = await decodeWith(syntax.codec, bytes, format, label, file, into);
  } catch (error) {
    if (error instanceof AxialError) throw error;
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `${label} pixel data could not be decoded: ${error instanceof Error ? error.message : String(error)}`, {
      file,
      cause: error,
    });
  }
  assertMatchesFormat(decoded, format, label, file);
  const cells = decoded.samples;
  if (cells.BYTES_PER_ELEMENT === 2 && format.bitsAllocated === 16) return toValues16(cells as Uint16Array | Int16Array, format, rescale);
  const stored = toStoredValues(cells, format);
  return rescale ? applyRescale(stored, rescale) : stored;
}

let scratch: Cells16Rescaler | undefined;

/**
 * 16-bit cells masked to BitsStored (sign-extended when signed) and rescaled when asked, in one
 * SIMD pass (createCells16Rescaler: the JavaScript loop took a tenth of a JPEG 2000 frame's decode
 * time), written back over the cells' own buffer.
 */
function toValues16(cells: Uint16Array | Int16Array, format: PixelFormat, rescale: FrameRescale | undefined): Int16Array | Uint16Array {
  const signed = format.pixelRepresentation === 1;
  const Type = (rescale ? rescale.output === 'int16' : signed) ? Int16Array : Uint16Array;
  const values = new Type(cells.buffer as ArrayBuffer, cells.byteOffset, cells.length);
  const identity = !rescale || (rescale.slope === 1 && rescale.intercept === 0);
  if (identity && format.bitsStored === 16 && format.highBit === 15) return values;
  if (scratch === undefined || scratch.slotBytes < cells.byteLength) scratch = createCells16Rescaler(1, cells.byteLength);
  scratch.slot(0).set(new Uint8Array(cells.buffer, cells.byteOffset, cells.byteLength));
  values.set(scratch.rescale(0, cells.length, format, rescale ?? { slope: 1, intercept: 0 }, Type));
  return values;
}

function applyRescale(stored: StoredValues, { slope, intercept, output }: FrameRescale): Int16Array | Uint16Array {
  const values = output === 'int16' ? new Int16Array(stored.length) : new Uint16Array(stored.length);
  for (let i = 0; i < stored.length; i++) values[i] = stored[i]! * slope + intercept;
  return values;
}

/*
 * The compressed codecs are imported on first use: together they took 55 ms to load, which an
 * uncompressed series (and every process that never meets their transfer syntax) need not pay.
 */
async function decodeWith(codec: FrameCodec, bytes: Uint8Array, format: PixelFormat, label: string, file: string, into?: ArrayBuffer): Promise<DecodedSamples> {
  switch (codec) {
    case 'native-little-endian':
      return decodeNative(bytes, format, 'little', file);
    case 'native-big-endian':
      return decodeNative(bytes, format, 'big', file);
    case 'rle':
      return decodeRle(bytes, format, file);
    case 'jpeg-dct':
      return (await import('./codecs/decodeJpegBaseline.js')).decodeJpegBaseline(bytes, format, file, label);
    case 'jpeg-lossless':
      return (await import('./codecs/decodeJpegLossless.js')).decodeJpegLossless(bytes, format, file);
    case 'jpeg-ls':
      return (await import('./codecs/decodeJpegLs.js')).decodeJpegLs(bytes, format, file);
    case 'jpeg-2000':
      return (await import('./codecs/decodeJpeg2000.js')).decodeJpeg2000(bytes, format, file, into);
    case 'htj2k':
      return (await import('./codecs/decodeHtj2k.js')).decodeHtj2k(bytes, format, file, into);
  }
}

function assertGrayscale(format: PixelFormat, file: string): void {
  const { samplesPerPixel, photometricInterpretation, bitsAllocated, bitsStored, highBit } = format;
  if (samplesPerPixel !== 1 || !['MONOCHROME1', 'MONOCHROME2'].includes(photometricInterpretation)) {
    throw new AxialError(
      'DICOM_UNSUPPORTED_PIXEL_FORMAT',
      'only grayscale images (MONOCHROME1/MONOCHROME2, one sample per pixel) are supported; ' +
        `this one is ${photometricInterpretation || 'unspecified'} with ${samplesPerPixel} sample(s) per pixel`,
      { file },
    );
  }
  if (![8, 16, 32].includes(bitsAllocated) || bitsStored < 1 || highBit < bitsStored - 1 || highBit >= bitsAllocated) {
    throw new AxialError(
      'DICOM_UNSUPPORTED_PIXEL_FORMAT',
      `BitsAllocated ${bitsAllocated}, BitsStored ${bitsStored}, HighBit ${highBit} is not supported ` +
        '(BitsAllocated must be 8, 16 or 32 and hold the stored bits)',
      { file },
    );
  }
}

function assertMatchesFormat(decoded: DecodedSamples, format: PixelFormat, label: string, file: string): void {
  const { rows, columns, bitsAllocated } = format;
  const problems: string[] = [];
  if (decoded.columns !== columns || decoded.rows !== rows) problems.push(`it is ${decoded.columns}x${decoded.rows}, not ${columns}x${rows}`);
  if (decoded.componentCount !== 1) problems.push(`it has ${decoded.componentCount} components, not 1`);
  if (decoded.samples.length !== rows * columns) problems.push(`it has ${decoded.samples.length} samples, not ${rows * columns}`);
  if (decoded.samples.BYTES_PER_ELEMENT * 8 > bitsAllocated)
    problems.push(`its ${decoded.samples.BYTES_PER_ELEMENT * 8}-bit samples exceed BitsAllocated ${bitsAllocated}`);
  if (problems.length > 0) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `the decoded ${label} frame does not match the DICOM header: ${problems.join('; ')}`, { file });
  }
}

/**
 * Takes BitsStored bits ending at HighBit out of each cell and sign-extends them when signed. The
 * bit operations work on 32-bit integers, which holds every cell up to BitsAllocated 32.
 */
function toStoredValues(cells: DecodedSamples['samples'], format: PixelFormat): StoredValues {
  const { bitsAllocated, bitsStored, highBit, pixelRepresentation } = format;
  const signed = pixelRepresentation === 1;
  const shift = highBit + 1 - bitsStored;
  const sameWidth = cells.BYTES_PER_ELEMENT * 8 === bitsAllocated;
  // Reinterpret the decoded cells in place where the width matches: no second frame-sized copy.
  const values = sameWidth ? viewStoredArray(bitsAllocated, signed, cells) : createStoredArray(bitsAllocated, signed, cells.length);
  if (sameWidth && shift === 0 && bitsStored === bitsAllocated) return values;
  const unusedBits = 32 - bitsStored;
  if (signed) {
    for (let i = 0; i < cells.length; i++) values[i] = (((cells[i] as number) >> shift) << unusedBits) >> unusedBits;
  } else {
    const mask = 0xffffffff >>> unusedBits;
    for (let i = 0; i < cells.length; i++) values[i] = ((cells[i] as number) >>> shift) & mask;
  }
  return values;
}

function viewStoredArray(bitsAllocated: number, signed: boolean, cells: DecodedSamples['samples']): StoredValues {
  const { buffer, byteOffset, length } = cells;
  if (bitsAllocated === 8) return signed ? new Int8Array(buffer, byteOffset, length) : new Uint8Array(buffer, byteOffset, length);
  if (bitsAllocated === 16) return signed ? new Int16Array(buffer, byteOffset, length) : new Uint16Array(buffer, byteOffset, length);
  return signed ? new Int32Array(buffer, byteOffset, length) : new Uint32Array(buffer, byteOffset, length);
}

function createStoredArray(bitsAllocated: number, signed: boolean, length: number): StoredValues {
  if (bitsAllocated === 8) return signed ? new Int8Array(length) : new Uint8Array(length);
  if (bitsAllocated === 16) return signed ? new Int16Array(length) : new Uint16Array(length);
  return signed ? new Int32Array(length) : new Uint32Array(length);
}
