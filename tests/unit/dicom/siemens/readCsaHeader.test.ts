import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { readCsaHeader } from '../../../../main/dicom/siemens/readCsaHeader.js';
import { csaHeader } from './buildCsaHeader.js';

const file = 'mosaic.dcm';
const header = csaHeader([
  { name: 'EchoLinePosition', vr: 'IS', values: ['32'] },
  { name: 'NumberOfImagesInMosaic', vr: 'US', values: ['36'] },
  { name: 'SliceNormalVector', vr: 'FD', values: ['0.00000000', '-0.25881905', '0.96592583'] },
  { name: 'MosaicRefAcqTimes', vr: 'FD', values: [], items: 0 },
]);

/** A copy of `bytes` with an int32 written at `offset`. */
function withInt32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setInt32(offset, value, true);
  return copy;
}

function malformed(bytes: Uint8Array): AxialError {
  try {
    readCsaHeader(bytes, file);
  } catch (error) {
    if (error instanceof AxialError) return error;
    throw error;
  }
  throw new Error('readCsaHeader accepted the bytes');
}

describe('readCsaHeader (hand-built CSA2 headers)', () => {
  it('reads each element’s first VM values, skipping the empty padding items', () => {
    const csa = readCsaHeader(header, file);
    expect(csa.get('NumberOfImagesInMosaic')).toEqual(['36']);
    expect(csa.get('SliceNormalVector')).toEqual(['0.00000000', '-0.25881905', '0.96592583']);
    expect(csa.get('EchoLinePosition')).toEqual(['32']);
    expect(csa.get('MosaicRefAcqTimes')).toEqual([]);
    expect(csa.size).toBe(4);
  });

  // Offsets: count at 8; element 1's name at 16, VM at 80, n_items at 92; its item 1 at 100, length at 104.
  it.each([
    ['the CSA1 layout (no "SV10")', header.map((b, i) => (i < 4 ? 0 : b)), /SV10/],
    ['fewer than 16 bytes', header.subarray(0, 12), /SV10/],
    ['an element count of 2^31', withInt32(header, 8, 0x7fffffff), /claims \d+ elements/],
    ['an element count its bytes cannot hold', withInt32(header, 8, 40), /claims 40 elements/],
    ['an item count of 2^31', withInt32(header, 92, 0x7fffffff), /EchoLinePosition.*items/],
    ['a negative item count', withInt32(header, 92, -1), /EchoLinePosition/],
    ['a negative VM', withInt32(header, 80, -5), /EchoLinePosition/],
    ['an item length past the end', withInt32(header, 104, 1 << 30), /item 1 of element 1 \(EchoLinePosition\) claims 1073741824 bytes/],
    ['a negative item length', withInt32(header, 104, -8), /claims -8 bytes/],
    ['the bytes ending inside the items', csaHeader([{ name: 'EchoLinePosition', vr: 'IS', values: ['32'] }]).subarray(0, 108), /EchoLinePosition/],
  ])('refuses %s with DICOM_MALFORMED naming the file', (_name, bytes, message) => {
    const error = malformed(bytes);
    expect(error.code).toBe('DICOM_MALFORMED');
    expect(error.file).toBe(file);
    expect(error.message).toMatch(message);
  });

  it('never throws anything but DICOM_MALFORMED on any truncation or any single corrupted byte', () => {
    const outcomes = new Set<string>();
    const attempt = (bytes: Uint8Array): void => {
      try {
        readCsaHeader(bytes, file);
        outcomes.add('read');
      } catch (error) {
        outcomes.add(error instanceof AxialError ? error.code : String(error));
      }
    };
    for (let length = 0; length < header.length; length++) attempt(header.subarray(0, length));
    for (let offset = 0; offset < header.length; offset++) {
      for (const value of [0x00, 0x7f, 0x80, 0xff]) {
        const copy = header.slice();
        copy[offset] = value;
        attempt(copy);
      }
    }
    expect([...outcomes].sort()).toEqual(['DICOM_MALFORMED', 'read']);
  });
});
