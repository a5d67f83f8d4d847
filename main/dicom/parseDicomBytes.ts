import type { DataSet } from 'dicom-parser';
import { dicomParser } from './dicomParser.js';
import { AxialError } from '../errors/AxialError.js';
import { parseDeflatedDataSet, type MetaInformation } from './parseDeflatedDataSet.js';

/** Options of parseDicomBytes. */
export interface ParseDicomBytesOptions {
  /** Stop before this tag, e.g. 'x7fe00010' to read the header only. */
  untilTag?: string;
}

const PREAMBLE_BYTES = 128;
const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';

/**
 * Parses a DICOM file's bytes with dicom-parser, inflating a Deflated Explicit VR Little Endian
 * data set with zlib (never past what its header says it holds: see parseDeflatedDataSet), and
 * turning what dicom-parser throws (strings, Errors and `{ exception, dataSet }` objects) into
 * AxialErrors.
 *
 * A file without the "DICM" prefix at byte 128 is still read when it starts with its file meta
 * information (group 0002), or like a bare data set (group 0008, as ACR-NEMA style files do) in
 * whichever little-endian encoding its first element shows.
 *
 * @param file - names the file in error messages.
 * @throws AxialError DICOM_NOT_DICOM when there is no DICM prefix and the bytes do not parse as
 *   a bare data set.
 * @throws AxialError DICOM_TRUNCATED when the file meta information or an element (other than
 *   `untilTag`'s) runs past the end of the bytes, or the deflated data set ends early.
 * @throws AxialError DICOM_MALFORMED for any other parse failure.
 * @throws AxialError INPUT_TOO_LARGE or DICOM_CORRUPT_PIXEL_DATA when a deflated data set
 *   inflates past what it can need (see parseDeflatedDataSet).
 */
export function parseDicomBytes(bytes: Uint8Array, file: string, options: ParseDicomBytesOptions = {}): DataSet {
  const part10 = withPart10Prefix(bytes);
  let dataSet: DataSet;
  try {
    dataSet = part10 === undefined ? parseBareDataSet(bytes, options.untilTag, file) : parsePart10(part10, options.untilTag, file);
  } catch (thrown) {
    if (thrown instanceof AxialError) throw thrown;
    throw toAxialError(thrown, { hasPrefix: part10 !== undefined, length: bytes.length, file });
  }
  assertElementsEndInside(dataSet, options.untilTag, file);
  return dataSet;
}

function parsePart10(bytes: Uint8Array, untilTag: string | undefined, file: string): DataSet {
  assertMetaInformationInside(bytes, file);
  const meta = dicomParser.readPart10Header(bytes) as MetaInformation;
  if (meta.string('x00020010') === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) return parseDeflatedDataSet(bytes, meta, untilTag, file);
  return dicomParser.parseDicom(bytes, { untilTag });
}

function parseBareDataSet(bytes: Uint8Array, untilTag: string | undefined, file: string): DataSet {
  const transferSyntaxUid = guessBareTransferSyntax(bytes);
  if (transferSyntaxUid === undefined) {
    throw new AxialError('DICOM_NOT_DICOM', 'not a DICOM file: no "DICM" prefix at byte 128, and it does not start like a DICOM data set', { file });
  }
  return dicomParser.parseDicom(plainView(bytes), { untilTag, TransferSyntaxUID: transferSyntaxUid });
}

/**
 * The file meta information starts with its own length, (0002,0000) UL, right after "DICM"; a file
 * cut inside it would otherwise be reported as lacking its TransferSyntaxUID.
 */
function assertMetaInformationInside(bytes: Uint8Array, file: string): void {
  const start = PREAMBLE_BYTES + 4;
  if (bytes.length < start + 12) {
    throw new AxialError('DICOM_TRUNCATED', `the file ends at byte ${bytes.length}, inside its file meta information`, { file });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, 12);
  const isGroupLength = view.getUint32(0, true) === 0x00000002 && readAscii(bytes, start + 4, 2) === 'UL';
  const end = start + 12 + view.getUint32(8, true);
  if (isGroupLength && end > bytes.length) {
    throw new AxialError('DICOM_TRUNCATED', `the file meta information ends at byte ${end}, past the end of the file's ${bytes.length} bytes`, { file });
  }
}

/**
 * dicom-parser refuses an explicit VR element that runs past the end of the bytes, but reads an
 * implicit VR one without complaint (its implicit loop has no overrun check), leaving a value
 * that its accessors later fail to read. The element parsing stopped at is only a header.
 */
function assertElementsEndInside(dataSet: DataSet, untilTag: string | undefined, file: string): void {
  for (const element of Object.values(dataSet.elements)) {
    if (element.tag === untilTag || element.hadUndefinedLength) continue;
    const end = element.dataOffset + element.length;
    if (end > dataSet.byteArray.length) {
      const tag = `(${element.tag.slice(1, 5)},${element.tag.slice(5)})`.toUpperCase();
      throw new AxialError('DICOM_TRUNCATED', `element ${tag} ends at byte ${end}, past the end of the file's ${dataSet.byteArray.length} bytes`, { file });
    }
  }
}

/**
 * The bytes as a Part 10 file: as they are when "DICM" is at byte 128; behind a made-up preamble
 * when they start with the file meta information (group 0002) but lack the preamble; undefined
 * when neither.
 */
function withPart10Prefix(bytes: Uint8Array): Uint8Array | undefined {
  if (readAscii(bytes, PREAMBLE_BYTES, 4) === 'DICM') return plainView(bytes);
  if (bytes.length < 8 || bytes[0] !== 0x02 || bytes[1] !== 0x00) return undefined;
  const prefixed = new Uint8Array(PREAMBLE_BYTES + 4 + bytes.length);
  prefixed.set([0x44, 0x49, 0x43, 0x4d], PREAMBLE_BYTES);
  prefixed.set(bytes, PREAMBLE_BYTES + 4);
  return prefixed;
}

/**
 * dicom-parser treats a Buffer differently from a Uint8Array (Buffer.slice shares memory, and its
 * Node-only branches call Buffer methods); a plain view of the same memory avoids both.
 */
function plainView(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A bare data set starts with a group 0008 element (PS3.5 7.1: elements in ascending order, and
 * group 0008 is the first one every image has). Its VR bytes tell explicit from implicit VR.
 */
function guessBareTransferSyntax(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8 || bytes[0] !== 0x08 || bytes[1] !== 0x00) return undefined;
  return /^[A-Z]{2}$/.test(readAscii(bytes, 4, 2)) ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN;
}

function toAxialError(thrown: unknown, where: { hasPrefix: boolean; length: number; file: string }): AxialError {
  const { hasPrefix, length, file } = where;
  const wrapped = typeof thrown === 'object' && thrown !== null && 'exception' in thrown ? (thrown as { exception: unknown }).exception : thrown;
  if (wrapped instanceof AxialError) return wrapped;
  const message = wrapped instanceof Error ? wrapped.message : String(wrapped);
  if (!hasPrefix) {
    return new AxialError('DICOM_NOT_DICOM', `not a DICOM file: no "DICM" prefix, and reading it as a bare data set failed (${message})`, {
      file,
      cause: thrown,
    });
  }
  // dicom-parser's messages for reads past the end: "attempt to read past end of buffer", "buffer
  // overrun", "buffer overread", a stream that would start at the end of the bytes, and a sequence
  // item longer than the bytes left ("invalid value for parameter 'maxPosition'", sometimes spelt
  // 'maxP osition'). Its words stay in the cause: the message says what happened to the file.
  if (/past end of buffer|buffer overr(un|ead)|greater than or equal to 'byteArray' length|parameter 'maxP ?osition'/.test(message)) {
    return new AxialError('DICOM_TRUNCATED', `the file ends early, at byte ${length}, in the middle of an element`, { file, cause: thrown });
  }
  return new AxialError('DICOM_MALFORMED', `dicom-parser could not read the file: ${message}`, { file, cause: thrown });
}

function readAscii(bytes: Uint8Array, start: number, length: number): string {
  return bytes.length < start + length ? '' : String.fromCharCode(...bytes.subarray(start, start + length));
}
