import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat } from '../../../main/dicom/PixelFormat.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { element, part10, text, us } from './buildPart10.js';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';

function formatOf(...elements: number[][]): ReturnType<typeof readPixelFormat> {
  return readPixelFormat(parseDicomBytes(part10(EXPLICIT_LE, ...elements), 'built.dcm'), 'built.dcm');
}

function failure(...elements: number[][]): AxialError {
  try {
    formatOf(...elements);
  } catch (error) {
    expect(error).toBeInstanceOf(AxialError);
    return error as AxialError;
  }
  throw new Error('expected readPixelFormat to throw');
}

const rows = element(0x00280010, 'US', us(4));
const columns = element(0x00280011, 'US', us(3));
const bitsAllocated = element(0x00280100, 'US', us(16));

describe('readPixelFormat', () => {
  it.skipIf(!hasSharedData)(`reads the CT slice's Image Pixel module${hasSharedData ? '' : ` (${noSharedDataReason})`}`, () => {
    const file = sharedData('dicom/ct-transfer-syntaxes/CTImage.dcm');
    expect(readPixelFormat(parseDicomBytes(readFileSync(file), file), file)).toEqual({
      rows: 512,
      columns: 512,
      bitsAllocated: 16,
      bitsStored: 16,
      highBit: 15,
      pixelRepresentation: 1,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      planarConfiguration: 0,
      numberOfFrames: 1,
    });
  });

  it('fills what may be absent with what the standard implies', () => {
    expect(formatOf(rows, columns, bitsAllocated)).toEqual({
      rows: 4,
      columns: 3,
      bitsAllocated: 16,
      bitsStored: 16,
      highBit: 15,
      pixelRepresentation: 0,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      planarConfiguration: 0,
      numberOfFrames: 1,
    });
  });

  it('reads NumberOfFrames, BitsStored and HighBit', () => {
    const format = formatOf(
      element(0x00280008, 'IS', text('12')),
      rows,
      columns,
      bitsAllocated,
      element(0x00280101, 'US', us(12)),
      element(0x00280102, 'US', us(11)),
      element(0x00280103, 'US', us(1)),
    );
    expect(format).toMatchObject({ numberOfFrames: 12, bitsStored: 12, highBit: 11, pixelRepresentation: 1 });
  });

  it.each([
    ['Rows (0028,0010)', [columns, bitsAllocated]],
    ['Columns (0028,0011)', [rows, bitsAllocated]],
    ['BitsAllocated (0028,0100)', [rows, columns]],
  ])('reports a missing %s', (name, elements) => {
    const error = failure(...elements);
    expect(error.code).toBe('DICOM_MISSING_TAG');
    expect(error.message).toBe(`built.dcm: ${name} is missing`);
  });

  it.each([
    ['BitsStored above BitsAllocated', element(0x00280101, 'US', us(17)), /BitsStored 17 does not fit BitsAllocated 16/],
    ['HighBit outside the cell', element(0x00280102, 'US', us(16)), /HighBit 16/],
    ['PixelRepresentation 2', element(0x00280103, 'US', us(2)), /PixelRepresentation is 2/],
    ['NumberOfFrames 0', element(0x00280008, 'IS', text('0')), /NumberOfFrames \(0028,0008\) is "0"/],
    ['NumberOfFrames "2.5"', element(0x00280008, 'IS', text('2.5')), /is "2.5"/],
  ])('reports %s as malformed', (_, bad, message) => {
    const error = failure(rows, columns, bitsAllocated, bad);
    expect(error.code).toBe('DICOM_MALFORMED');
    expect(error.message).toMatch(message);
  });

  it('reports a zero-sized image as malformed', () => {
    expect(failure(element(0x00280010, 'US', us(0)), columns, bitsAllocated).code).toBe('DICOM_MALFORMED');
  });
});
