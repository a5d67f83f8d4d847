import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';
import { thrownAxialError } from '../../expectAxialError.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { element, part10, text, us } from './buildPart10.js';

const rows = element(0x00280010, 'US', us(2));
const modality = element(0x00080060, 'CS', text('CT'));

describe('parseDicomBytes on hand-built bytes', () => {
  it('reads a Part 10 file and keeps the file meta information', () => {
    const dataSet = parseDicomBytes(part10('1.2.840.10008.1.2.1', modality, rows), 'built.dcm');
    expect(dataSet.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(dataSet.string('x00080060')).toBe('CT');
    expect(dataSet.uint16('x00280010')).toBe(2);
  });

  it('reads a file that starts with its meta information but has no preamble', () => {
    const withoutPreamble = part10('1.2.840.10008.1.2.1', modality).subarray(132);
    expect(parseDicomBytes(withoutPreamble, 'bare-meta.dcm').string('x00080060')).toBe('CT');
  });

  it('reads a bare data set, explicit or implicit VR, that starts with group 0008', () => {
    const explicit = new Uint8Array(modality);
    expect(parseDicomBytes(explicit, 'explicit.dcm').string('x00080060')).toBe('CT');
    // Implicit VR: tag (0008,0060), uint32 length 2, "CT".
    const implicit = new Uint8Array([0x08, 0x00, 0x60, 0x00, 2, 0, 0, 0, 0x43, 0x54]);
    expect(parseDicomBytes(implicit, 'implicit.dcm').string('x00080060')).toBe('CT');
  });

  it('says a file without DICM that does not start like a data set is not DICOM', () => {
    const error = thrownAxialError(() => parseDicomBytes(new TextEncoder().encode('%PDF-1.7 this is not an image at all'), 'paper.pdf'));
    expect(error.code).toBe('DICOM_NOT_DICOM');
    expect(error.message).toMatch(/^paper\.pdf: not a DICOM file/);
    expect(thrownAxialError(() => parseDicomBytes(new Uint8Array(0), 'empty.dcm')).code).toBe('DICOM_NOT_DICOM');
  });

  it('says a file with DICM but no TransferSyntaxUID is malformed', () => {
    const implementationVersionName = element(0x00020013, 'SH', text('AXIAL'));
    const bytes = new Uint8Array([...new Array<number>(128).fill(0), 0x44, 0x49, 0x43, 0x4d, ...implementationVersionName, ...modality]);
    const error = thrownAxialError(() => parseDicomBytes(bytes, 'nometa.dcm'));
    expect(error.code).toBe('DICOM_MALFORMED');
    expect(error.message).toMatch(/0002,0010/);
  });

  it('says an element longer than the rest of the file is truncated, in implicit VR too', () => {
    const explicit = part10('1.2.840.10008.1.2.1', element(0x00080060, 'CS', text('CT')));
    expect(thrownAxialError(() => parseDicomBytes(explicit.subarray(0, explicit.length - 1), 'cut.dcm')).code).toBe('DICOM_TRUNCATED');
    // Implicit VR (0010,0010) claiming 100 bytes with 4 left.
    const implicit = part10('1.2.840.10008.1.2', [0x10, 0x00, 0x10, 0x00, 100, 0, 0, 0, 0x41, 0x42, 0x43, 0x44]);
    const error = thrownAxialError(() => parseDicomBytes(implicit, 'cut-implicit.dcm'));
    expect(error.code).toBe('DICOM_TRUNCATED');
    expect(error.message).toMatch(/element \(0010,0010\) ends at byte/);
  });

  it('stops before untilTag without requiring its value', () => {
    const bytes = part10('1.2.840.10008.1.2.1', rows, element(0x7fe00010, 'OW', new Array(64).fill(1)));
    const header = parseDicomBytes(bytes.subarray(0, bytes.length - 60), 'header.dcm', { untilTag: 'x7fe00010' });
    expect(header.uint16('x00280010')).toBe(2);
  });

  it('inflates a deflated data set, and calls a cut deflate stream truncated', () => {
    const dataSet = [...modality, ...rows];
    const meta = part10('1.2.840.10008.1.2.1.99');
    const deflated = new Uint8Array([...meta, ...deflateRawSync(new Uint8Array(dataSet))]);
    expect(parseDicomBytes(deflated, 'deflated.dcm').uint16('x00280010')).toBe(2);
    expect(thrownAxialError(() => parseDicomBytes(deflated.subarray(0, meta.length + 3), 'cut.dcm')).code).toBe('DICOM_TRUNCATED');
  });
});

describe.skipIf(!hasSharedData)(`parseDicomBytes on the CT slice${hasSharedData ? '' : ` (${noSharedDataReason})`}`, () => {
  const folder = 'dicom/ct-transfer-syntaxes';
  const implicit = (): Buffer => readFileSync(sharedData(`${folder}/CTImage.dcm`));

  it('parses the deflated file to the same elements as the explicit one', () => {
    const explicit = parseDicomBytes(readFileSync(sharedData(`${folder}/CTImage.dcm_LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1.dcm`)), 'explicit');
    const deflated = parseDicomBytes(
      readFileSync(sharedData(`${folder}/CTImage.dcm_DeflatedExplicitVRLittleEndianTransferSyntax_1.2.840.10008.1.2.1.99.dcm`)),
      'deflated',
    );
    expect(deflated.string('x00020010')).toBe('1.2.840.10008.1.2.1.99');
    expect(
      Object.keys(deflated.elements)
        .filter((tag) => !tag.startsWith('x0002'))
        .sort(),
    ).toEqual(
      Object.keys(explicit.elements)
        .filter((tag) => !tag.startsWith('x0002'))
        .sort(),
    );
    expect(deflated.elements['x7fe00010']?.length).toBe(524288);
  });

  it.each([140, 400, 6000, 300_000, 530_635])('calls the implicit VR file cut at byte %i truncated', (length) => {
    expect(thrownAxialError(() => parseDicomBytes(implicit().subarray(0, length), 'cut.dcm')).code).toBe('DICOM_TRUNCATED');
  });

  it('throws only AxialErrors for header bytes overwritten with noise', () => {
    const original = implicit();
    let state = 7;
    for (let trial = 0; trial < 200; trial++) {
      const bytes = Buffer.from(original);
      for (let k = 0; k < 8; k++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        bytes[132 + (state % 4000)] = state >>> 24;
      }
      try {
        parseDicomBytes(bytes, 'noisy.dcm');
      } catch (error) {
        expect(error).toBeInstanceOf(AxialError);
      }
    }
  });
});
