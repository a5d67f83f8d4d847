import type { DataSet } from 'dicom-parser';
import { AxialError } from '../errors/AxialError.js';

/** The Image Pixel module attributes (PS3.3 C.7.6.3) that say how to read a frame's bytes. */
export interface PixelFormat {
  /** Rows (0028,0010). */
  rows: number;
  /** Columns (0028,0011). */
  columns: number;
  /** BitsAllocated (0028,0100): the size of one pixel cell. */
  bitsAllocated: number;
  /** BitsStored (0028,0101): how many bits of the cell hold the value; BitsAllocated when absent. */
  bitsStored: number;
  /** HighBit (0028,0102): the value's most significant bit in the cell; BitsStored - 1 when absent. */
  highBit: number;
  /** PixelRepresentation (0028,0103): 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  /** SamplesPerPixel (0028,0002); 1 when absent. */
  samplesPerPixel: number;
  /** PhotometricInterpretation (0028,0004); MONOCHROME2 when absent and SamplesPerPixel is 1, else ''. */
  photometricInterpretation: string;
  /** PlanarConfiguration (0028,0006); 0 (interleaved) when absent. */
  planarConfiguration: number;
  /** NumberOfFrames (0028,0008); 1 when absent or empty. */
  numberOfFrames: number;
}

/**
 * Reads the pixel format of an image data set, filling the attributes that may be absent with
 * the values the standard implies.
 *
 * @throws AxialError DICOM_MISSING_TAG when Rows, Columns or BitsAllocated is absent.
 * @throws AxialError DICOM_MALFORMED when a value is out of range: a zero dimension, BitsStored
 *   above BitsAllocated, a HighBit outside the cell, PixelRepresentation not 0 or 1, or a
 *   NumberOfFrames that is not a positive integer.
 */
export function readPixelFormat(dataSet: DataSet, file: string): PixelFormat {
  const rows = requireUint16(dataSet, 'x00280010', 'Rows (0028,0010)', file);
  const columns = requireUint16(dataSet, 'x00280011', 'Columns (0028,0011)', file);
  const bitsAllocated = requireUint16(dataSet, 'x00280100', 'BitsAllocated (0028,0100)', file);
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
  const highBit = dataSet.uint16('x00280102') ?? bitsStored - 1;
  const pixelRepresentation = dataSet.uint16('x00280103') ?? 0;
  const samplesPerPixel = dataSet.uint16('x00280002') ?? 1;
  const photometricInterpretation = dataSet.string('x00280004')?.trim() || (samplesPerPixel === 1 ? 'MONOCHROME2' : '');
  const planarConfiguration = dataSet.uint16('x00280006') ?? 0;
  const numberOfFrames = readNumberOfFrames(dataSet, file);

  const malformed = (message: string): AxialError => new AxialError('DICOM_MALFORMED', message, { file });
  if (rows === 0 || columns === 0) throw malformed(`the image is ${columns}x${rows} pixels (Columns x Rows)`);
  if (bitsAllocated === 0 || bitsStored === 0 || bitsStored > bitsAllocated) {
    throw malformed(`BitsStored ${bitsStored} does not fit BitsAllocated ${bitsAllocated}`);
  }
  if (highBit < bitsStored - 1 || highBit >= bitsAllocated) {
    throw malformed(`HighBit ${highBit} puts the ${bitsStored} stored bits outside the ${bitsAllocated}-bit cell`);
  }
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1) throw malformed(`PixelRepresentation is ${pixelRepresentation}; it must be 0 or 1`);
  if (samplesPerPixel === 0) throw malformed('SamplesPerPixel is 0');

  return {
    rows,
    columns,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation,
    samplesPerPixel,
    photometricInterpretation,
    planarConfiguration,
    numberOfFrames,
  };
}

function requireUint16(dataSet: DataSet, tag: string, name: string, file: string): number {
  const value = dataSet.uint16(tag);
  if (value === undefined) throw new AxialError('DICOM_MISSING_TAG', `${name} is missing`, { file });
  return value;
}

function readNumberOfFrames(dataSet: DataSet, file: string): number {
  const text = dataSet.string('x00280008');
  if (text === undefined || text === '') return 1;
  const frames = Number(text);
  if (!Number.isInteger(frames) || frames < 1) {
    throw new AxialError('DICOM_MALFORMED', `NumberOfFrames (0028,0008) is "${text}"; it must be a positive integer`, { file });
  }
  return frames;
}
