import type { DataSet } from 'dicom-parser';
import { parseDicomBytes } from '../dicom/parseDicomBytes.js';
import { AxialError } from '../errors/AxialError.js';
import { labelColour } from '../../core/labels/labelColour.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { dicomLabToRgb } from './rgbToDicomLab.js';
import { dicomTextDecoder, type DicomTextDecoder } from './dicomTextDecoder.js';
import type { CodedConcept, SegSegment, SegmentAlgorithmType } from './SegSegment.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/** How a SEG stores its pixels (SegmentationType). */
export type SegmentationType = 'BINARY' | 'FRACTIONAL' | 'LABELMAP';

/** A segment as the SegmentSequence describes it, before it is given a layer. */
export interface ParsedSegSegment extends Omit<SegSegment, 'layer' | 'value'> {
  /** SegmentNumber: what BINARY/FRACTIONAL frames reference, and LABELMAP's pixel value. */
  readonly number: number;
}

/** Where one frame belongs. */
export interface ParsedSegFrame {
  /** ReferencedSegmentNumber (BINARY, FRACTIONAL); undefined for LABELMAP, whose pixels hold it. */
  readonly segmentNumber: number | undefined;
  /** ImagePositionPatient (LPS mm of the first pixel's centre), per frame or shared. */
  readonly position: Vec3 | undefined;
  /** The source image the frame was derived from (DerivationImageSequence > SourceImageSequence). */
  readonly sourceSopInstanceUid: string | undefined;
  readonly sourceFrameNumber: number | undefined;
}

/** A DICOM Segmentation object's content, not yet placed on any volume. */
export interface ParsedSeg {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly segmentationType: SegmentationType;
  readonly rows: number;
  readonly columns: number;
  /** ImageOrientationPatient: the row direction (along a row, columns increasing), then the column direction. */
  readonly orientation: readonly [number, number, number, number, number, number] | undefined;
  /** PixelSpacing: between rows, then between columns (mm). */
  readonly pixelSpacing: readonly [number, number] | undefined;
  readonly frameOfReferenceUid: string | undefined;
  /** The source series (ReferencedSeriesSequence). */
  readonly referencedSeriesInstanceUid: string | undefined;
  /** Real segments, in SegmentSequence order (background entries left out). */
  readonly segments: readonly ParsedSegSegment[];
  /** SegmentNumbers that are declared but are not segments: 0, or LABELMAP entries labelled "Background". */
  readonly backgroundNumbers: readonly number[];
  readonly frames: readonly ParsedSegFrame[];
  /**
   * One frame's rows × columns values, column index fastest: 0/1 for BINARY, and for
   * FRACTIONAL 1 where the value is at least half of MaximumFractionalValue; for LABELMAP the
   * stored value (the segment number, 0 for none).
   */
  readFrame(frame: number): LabelArray;
  readonly warnings: readonly string[];
}

const segSopClasses: Readonly<Record<string, string>> = {
  '1.2.840.10008.5.1.4.1.1.66.4': 'Segmentation Storage',
  '1.2.840.10008.5.1.4.1.1.66.7': 'Label Map Segmentation Storage',
};
const nativeSyntaxes = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99']);
const algorithmTypes = new Set<SegmentAlgorithmType>(['AUTOMATIC', 'SEMIAUTOMATIC', 'MANUAL']);
const tissue: CodedConcept = { value: '85756007', scheme: 'SCT', meaning: 'Tissue' };

/**
 * Reads a DICOM Segmentation object (BINARY, FRACTIONAL or LABELMAP; Segmentation Storage or
 * Label Map Segmentation Storage) stored in an uncompressed transfer syntax (implicit or explicit
 * VR little endian, or deflated). Frames are decoded only when `readFrame` asks.
 *
 * Segment labels, algorithm names and codes are decoded in the file's SpecificCharacterSet
 * ({@link dicomTextDecoder}): UTF-8 for ISO_IR 192, as Axial writes them; ISO 2022 code extensions as pydicom reads them.
 *
 * SegmentNumber 0 is never a segment, nor, in a LABELMAP, an entry labelled "Background".
 * A segment without RecommendedDisplayCIELabValue gets Axial's colour for its number, and a
 * missing category or type code becomes SCT 85756007 "Tissue"; both with a warning.
 *
 * @param name - names the file in error messages.
 * @throws AxialError SEG_INVALID when the bytes are not DICOM, are damaged (the DICOM parser's
 *   DICOM_TRUNCATED, DICOM_MALFORMED or DICOM_NOT_DICOM becomes the cause), are not a Segmentation,
 *   or lack what a SEG requires (SegmentSequence, per-frame groups matching NumberOfFrames, frame
 *   segment references, enough pixel data).
 * @throws AxialError SEG_UNSUPPORTED for a compressed or big-endian transfer syntax, naming it,
 *   or an unknown SegmentationType.
 */
export function parseDicomSeg(bytes: Uint8Array, name: string): ParsedSeg {
  const dataSet = parseBytes(bytes, name);
  try {
    return readSeg(dataSet, name);
  } catch (error) {
    if (error instanceof AxialError) throw error;
    // dicom-parser's accessors throw on an element, nested in a sequence, that runs past the end of the bytes.
    const detail = error instanceof Error ? error.message : String(error);
    throw new AxialError('SEG_INVALID', `an element cannot be read (${detail})`, { file: name, cause: error });
  }
}

function readSeg(dataSet: DataSet, name: string): ParsedSeg {
  const invalid = (message: string): AxialError => new AxialError('SEG_INVALID', message, { file: name });
  const sopClassUid = text(dataSet, 'x00080016') || text(dataSet, 'x00020002');
  if (!segSopClasses[sopClassUid]) {
    throw invalid(`not a Segmentation: SOP class ${sopClassUid || '(none)'}, not Segmentation Storage (1.2.840.10008.5.1.4.1.1.66.4 or .66.7)`);
  }
  const transferSyntax = text(dataSet, 'x00020010') || '1.2.840.10008.1.2';
  if (!nativeSyntaxes.has(transferSyntax)) {
    throw new AxialError(
      'SEG_UNSUPPORTED',
      `transfer syntax ${transferSyntax} is not supported: Axial reads SEG objects stored uncompressed in little endian (implicit or explicit VR) or deflated`,
      { file: name },
    );
  }
  const segmentationType = readSegmentationType(dataSet, name);
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const frameCount = dataSet.intString('x00280008') ?? NaN;
  if (!(rows > 0 && columns > 0)) throw invalid(`Rows and Columns must be positive, got ${rows}×${columns}`);
  if (!(Number.isInteger(frameCount) && frameCount > 0)) throw invalid('NumberOfFrames is missing or not a positive integer');
  const warnings: string[] = [];
  const { segments, backgroundNumbers } = readSegments(dataSet, segmentationType, { invalid, warnings, words: wordsIn(dicomTextDecoder(dataSet)) });
  const declared = new Set([...segments.map((s) => s.number), ...backgroundNumbers]);
  const frames = readFrames(dataSet, segmentationType, frameCount, declared, invalid, warnings);
  const shared = firstItem(dataSet, 'x52009229');
  const frame0 = dataSet.elements.x52009230?.items?.[0]?.dataSet;
  const orientation = floats(firstItem(shared, 'x00209116') ?? firstItem(frame0, 'x00209116'), 'x00200037', 6);
  const pixelSpacing = floats(firstItem(shared, 'x00289110') ?? firstItem(frame0, 'x00289110'), 'x00280030', 2);
  const readFrame = frameReader(dataSet, segmentationType, rows, columns, frameCount, invalid);
  return {
    sopClassUid,
    sopInstanceUid: text(dataSet, 'x00080018'),
    segmentationType,
    rows,
    columns,
    orientation: orientation as ParsedSeg['orientation'],
    pixelSpacing: pixelSpacing as ParsedSeg['pixelSpacing'],
    frameOfReferenceUid: text(dataSet, 'x00200052') || undefined,
    referencedSeriesInstanceUid: text(firstItem(dataSet, 'x00081115'), 'x0020000e') || undefined,
    segments,
    backgroundNumbers,
    frames,
    readFrame,
    warnings,
  };
}

function parseBytes(bytes: Uint8Array, name: string): DataSet {
  try {
    return parseDicomBytes(bytes, name);
  } catch (error) {
    if (!(error instanceof AxialError)) throw error;
    const detail = error.file ? error.message.slice(error.file.length + 2) : error.message;
    throw new AxialError('SEG_INVALID', `cannot be read as DICOM (${error.code}): ${detail}`, { file: name, cause: error });
  }
}

function readSegmentationType(dataSet: DataSet, name: string): SegmentationType {
  const type = text(dataSet, 'x00620001');
  if (type === 'BINARY' || type === 'FRACTIONAL' || type === 'LABELMAP') return type;
  if (!type) throw new AxialError('SEG_INVALID', 'no SegmentationType (0062,0001)', { file: name });
  throw new AxialError('SEG_UNSUPPORTED', `SegmentationType ${type} is not supported (BINARY, FRACTIONAL and LABELMAP are)`, { file: name });
}

type Invalid = (message: string) => AxialError;

/** A text element's value decoded in the file's character set, trimmed; '' when absent. */
type Words = (dataSet: DataSet | undefined, tag: string) => string;

interface ReadSegmentsParams {
  readonly invalid: Invalid;
  readonly warnings: string[];
  readonly words: Words;
}

function readSegments(dataSet: DataSet, type: SegmentationType, params: ReadSegmentsParams): { segments: ParsedSegSegment[]; backgroundNumbers: number[] } {
  const { invalid, warnings, words } = params;
  const items = dataSet.elements.x00620002?.items;
  if (!items?.length) throw invalid('no SegmentSequence (0062,0002): the file declares no segments');
  const segments: ParsedSegSegment[] = [];
  const backgroundNumbers: number[] = [];
  const seen = new Set<number>();
  items.forEach((item, i) => {
    const ds = item.dataSet!;
    const number = ds.uint16('x00620004');
    if (number === undefined) throw invalid(`SegmentSequence item ${i + 1} has no SegmentNumber`);
    if (seen.has(number)) throw invalid(`SegmentNumber ${number} is declared twice in the SegmentSequence`);
    seen.add(number);
    const label = words(ds, 'x00620005');
    if (number === 0 || (type === 'LABELMAP' && label.toLowerCase() === 'background')) {
      backgroundNumbers.push(number);
      return;
    }
    const what = `segment ${number} (${label || 'no label'})`;
    const algorithm = text(ds, 'x00620008') as SegmentAlgorithmType;
    if (!algorithmTypes.has(algorithm)) warnings.push(`${what}: SegmentAlgorithmType "${algorithm}" is not AUTOMATIC, SEMIAUTOMATIC or MANUAL; read as MANUAL`);
    const lab = [0, 1, 2].map((v) => (ds.elements.x0062000d && ds.elements.x0062000d.length >= 6 ? ds.uint16('x0062000d', v) : undefined));
    const hasLab = lab.every((v) => v !== undefined);
    if (!hasLab) warnings.push(`${what} has no RecommendedDisplayCIELabValue; given a colour of Axial's`);
    const algorithmName = words(ds, 'x00620009');
    segments.push({
      number,
      label,
      algorithmType: algorithmTypes.has(algorithm) ? algorithm : 'MANUAL',
      ...(algorithmName ? { algorithmName } : {}),
      category: codedConcept(firstItem(ds, 'x00620003'), `${what}: SegmentedPropertyCategoryCodeSequence`, params),
      type: codedConcept(firstItem(ds, 'x0062000f'), `${what}: SegmentedPropertyTypeCodeSequence`, params),
      colour: hasLab ? dicomLabToRgb(lab as [number, number, number]) : labelColour(number),
    });
  });
  return { segments, backgroundNumbers };
}

function codedConcept(ds: DataSet | undefined, what: string, { warnings, words }: ReadSegmentsParams): CodedConcept {
  const value = words(ds, 'x00080100') || words(ds, 'x00080119') || words(ds, 'x00080120');
  if (!ds || !value) {
    warnings.push(`${what} is missing or has no code value; read as SCT 85756007 "Tissue"`);
    return tissue;
  }
  return { value, scheme: words(ds, 'x00080102'), meaning: words(ds, 'x00080104') };
}

function readFrames(
  dataSet: DataSet,
  type: SegmentationType,
  count: number,
  declared: ReadonlySet<number>,
  invalid: Invalid,
  warnings: string[],
): ParsedSegFrame[] {
  const perFrame = dataSet.elements.x52009230?.items;
  if (!perFrame) throw invalid('no PerFrameFunctionalGroupsSequence (5200,9230): frames cannot be placed');
  if (perFrame.length !== count) {
    throw invalid(`NumberOfFrames is ${count} but the PerFrameFunctionalGroupsSequence has ${perFrame.length} items`);
  }
  const shared = firstItem(dataSet, 'x52009229');
  const sharedPosition = floats(firstItem(shared, 'x00209113'), 'x00200032', 3);
  const sharedSegment = firstItem(shared, 'x0062000a')?.uint16('x0062000b');
  const only = declared.size === 1 ? [...declared][0] : undefined;
  let assumed = 0;
  const frames = perFrame.map((item, f): ParsedSegFrame => {
    const group = item.dataSet;
    const source = sourceImage(group);
    let segmentNumber: number | undefined;
    if (type !== 'LABELMAP') {
      segmentNumber = firstItem(group, 'x0062000a')?.uint16('x0062000b') ?? sharedSegment;
      if (segmentNumber === undefined && only !== undefined) {
        segmentNumber = only;
        assumed++;
      }
      if (segmentNumber === undefined) throw invalid(`frame ${f + 1} has no SegmentIdentificationSequence, so its segment is unknown`);
      if (!declared.has(segmentNumber)) throw invalid(`frame ${f + 1} refers to segment ${segmentNumber}, which the SegmentSequence does not declare`);
    }
    return {
      segmentNumber,
      position: (floats(firstItem(group, 'x00209113'), 'x00200032', 3) ?? sharedPosition) as Vec3 | undefined,
      sourceSopInstanceUid: text(source, 'x00081155') || undefined,
      sourceFrameNumber: source?.elements.x00081160 ? source.intString('x00081160') : undefined,
    };
  });
  if (assumed > 0) warnings.push(`${assumed} frame(s) have no SegmentIdentificationSequence; read as the only segment, ${only}`);
  return frames;
}

/** The first source image referenced through DerivationImageSequence > SourceImageSequence. */
function sourceImage(group: DataSet | undefined): DataSet | undefined {
  for (const derivation of group?.elements.x00089124?.items ?? []) {
    const source = firstItem(derivation.dataSet, 'x00082112');
    if (text(source, 'x00081155')) return source;
  }
  return undefined;
}

function frameReader(dataSet: DataSet, type: SegmentationType, rows: number, columns: number, count: number, invalid: Invalid): (frame: number) => LabelArray {
  const element = dataSet.elements.x7fe00010;
  if (!element) throw invalid('no PixelData (7FE0,0010)');
  const bitsAllocated = dataSet.uint16('x00280100');
  const expectedBits = type === 'BINARY' ? [1] : type === 'FRACTIONAL' ? [8] : [8, 16];
  if (bitsAllocated === undefined || !expectedBits.includes(bitsAllocated)) {
    throw invalid(`BitsAllocated is ${bitsAllocated ?? '(missing)'}; a ${type} SEG has ${expectedBits.join(' or ')}`);
  }
  const pixelsPerFrame = rows * columns;
  const needed = Math.ceil((count * pixelsPerFrame * bitsAllocated) / 8);
  if (element.encapsulatedPixelData || element.hadUndefinedLength) throw invalid('PixelData is encapsulated in an uncompressed transfer syntax');
  if (element.length < needed || element.dataOffset + needed > dataSet.byteArray.length) {
    throw invalid(
      `PixelData is truncated: ${count} frames of ${rows}×${columns} at ${bitsAllocated} bit need ${needed} bytes, ` +
        `the file holds ${Math.min(element.length, dataSet.byteArray.length - element.dataOffset)}`,
    );
  }
  const pixels = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + needed);
  const maxFractional = type === 'FRACTIONAL' ? dataSet.uint16('x0062000e') : undefined;
  if (type === 'FRACTIONAL' && !(maxFractional! > 0)) throw invalid('a FRACTIONAL SEG needs a positive MaximumFractionalValue (0062,000E)');
  return (frame: number) => {
    if (!Number.isInteger(frame) || frame < 0 || frame >= count) throw new RangeError(`frame ${frame} is not in 0–${count - 1}`);
    const start = frame * pixelsPerFrame;
    if (type === 'BINARY') return unpackBits(pixels, start, pixelsPerFrame);
    if (type === 'FRACTIONAL') return pixels.subarray(start, start + pixelsPerFrame).map((v) => (2 * v >= maxFractional! ? 1 : 0));
    if (bitsAllocated === 8) return pixels.slice(start, start + pixelsPerFrame);
    const out = new Uint16Array(pixelsPerFrame);
    for (let p = 0, b = 2 * start; p < pixelsPerFrame; p++, b += 2) out[p] = pixels[b]! | (pixels[b + 1]! << 8);
    return out;
  };
}

/** 1-bit pixels, least significant bit first, packed across frame boundaries (PS3.5 8.1.1). */
function unpackBits(pixels: Uint8Array, firstBit: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const firstByte = Math.floor(firstBit / 8);
  const shift = firstBit % 8;
  // A frame that starts on a byte boundary (rows × columns a multiple of 8) is read a byte at a time, skipping empty bytes.
  const whole = shift === 0 ? count >>> 3 : 0;
  for (let b = 0; b < whole; b++) {
    const byte = pixels[firstByte + b]!;
    if (byte === 0) continue;
    for (let bit = 0, p = b << 3; bit < 8; bit++, p++) out[p] = (byte >> bit) & 1;
  }
  for (let p = whole << 3; p < count; p++) {
    const bit = shift + p;
    out[p] = (pixels[firstByte + (bit >>> 3)]! >> (bit & 7)) & 1;
  }
  return out;
}

function firstItem(dataSet: DataSet | undefined, tag: string): DataSet | undefined {
  return dataSet?.elements[tag]?.items?.[0]?.dataSet;
}

/** `count` numbers of a DS element, or undefined when absent, short or not numbers. */
function floats(dataSet: DataSet | undefined, tag: string, count: number): number[] | undefined {
  if (!dataSet?.elements[tag] || (dataSet.numStringValues(tag) ?? 0) < count) return undefined;
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = dataSet.floatString(tag, i);
    if (v === undefined || !Number.isFinite(v)) return undefined;
    values.push(v);
  }
  return values;
}

/** A value of the default repertoire (UI, CS, IS): dicom-parser reads it as Latin-1, its superset. */
function text(dataSet: DataSet | undefined, tag: string): string {
  return (dataSet?.string(tag) ?? '').trim();
}

/**
 * Text that people wrote (LO, SH, UC: segment labels, algorithm names, code meanings), which
 * dicom-parser's `string` would read as Latin-1 whatever the SpecificCharacterSet: decoded from
 * its bytes instead, the trailing NULs and spaces that pad it dropped.
 */
function wordsIn(decoder: DicomTextDecoder): Words {
  return (dataSet, tag) => {
    const element = dataSet?.elements[tag];
    if (!dataSet || !element?.length) return '';
    const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
    return decoder
      .decode(bytes)
      .replace(/[\0 ]+$/, '')
      .trim();
  };
}
