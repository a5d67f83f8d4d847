import { stat } from 'node:fs/promises';
import type dicomParser from 'dicom-parser';
import { parseDicomBytes } from '../dicom/parseDicomBytes.js';
import { AxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { dicomTextDecoder } from './dicomTextDecoder.js';

/** Attribute keyword → text value, ready for a dcmjs naturalized data set. */
export type StudyAttributes = Readonly<Record<string, string>>;

/**
 * What a derived object copies from its source so that it lands in the same
 * patient, study and frame of reference: the Patient, General Study and Frame
 * of Reference modules (and the de-identification flags, which must follow the
 * data). Type 2 attributes are present even when empty.
 */
const copied: readonly (readonly [keyword: string, tag: string, type2: boolean])[] = [
  ['PatientName', 'x00100010', true],
  ['PatientID', 'x00100020', true],
  ['IssuerOfPatientID', 'x00100021', false],
  ['PatientBirthDate', 'x00100030', true],
  ['PatientSex', 'x00100040', true],
  ['PatientIdentityRemoved', 'x00120062', false],
  ['DeidentificationMethod', 'x00120063', false],
  ['StudyInstanceUID', 'x0020000d', true],
  ['StudyDate', 'x00080020', true],
  ['StudyTime', 'x00080030', true],
  ['ReferringPhysicianName', 'x00080090', true],
  ['StudyID', 'x00200010', true],
  ['AccessionNumber', 'x00080050', true],
  ['StudyDescription', 'x00081030', false],
  ['FrameOfReferenceUID', 'x00200052', true],
  ['PositionReferenceIndicator', 'x00201040', true],
];

/** The copied attributes of VR PN, whose '^' and '=' reset an ISO 2022 character set (PS3.5 6.1.2.5.3). */
const personNames = new Set(['PatientName', 'ReferringPhysicianName']);

const headerPrefixBytes = 64 * 1024;

/**
 * Reads the patient, study and frame of reference attributes of one source
 * image, decoding text in its SpecificCharacterSet (the result is plain
 * Unicode, to be written as UTF-8).
 * @throws AxialError INPUT_UNREADABLE when the file cannot be read; the DICOM parser's codes.
 */
export async function readStudyAttributes(file: string): Promise<StudyAttributes> {
  const dataSet = await parseHeader(file);
  const decoder = dicomTextDecoder(dataSet);
  const attributes: Record<string, string> = {};
  for (const [keyword, tag, type2] of copied) {
    const element = dataSet.elements[tag];
    if (!element && !type2) continue;
    const raw = element ? dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length) : new Uint8Array();
    const value = decoder
      .decode(raw, { personName: personNames.has(keyword) })
      .replace(/[\0 ]+$/, '')
      .replace(/^ +/, '');
    if (value !== '' || type2) attributes[keyword] = value;
  }
  return attributes;
}

async function parseHeader(file: string): Promise<dicomParser.DataSet> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new AxialError('INPUT_UNREADABLE', `cannot read: ${(error as Error).message}`, { file, cause: error });
  }
  const prefix = await readFileRegion(file, 0, Math.min(size, headerPrefixBytes));
  try {
    return parseDicomBytes(prefix, file, { untilTag: 'x7fe00010' });
  } catch (error) {
    if (prefix.length === size) throw error;
  }
  return parseDicomBytes(await readFileRegion(file, 0, size), file, { untilTag: 'x7fe00010' });
}
