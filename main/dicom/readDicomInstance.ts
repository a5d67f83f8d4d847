import type dicomParser from 'dicom-parser';
import { AxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { readFileRegionSync } from '../io/readFileRegionSync.js';
import type { WindowPreset } from '../volume/Volume.js';
import { assertFramesFitPixelData } from './assertFramesFitPixelData.js';
import type { DicomInstance, SkippedFile } from './DicomInstance.js';
import { looksLikeDicom } from './looksLikeDicom.js';
import { nonImageSopClasses } from './nonImageSopClasses.js';
import { parseDicomBytes } from './parseDicomBytes.js';
import { readDecimalString } from './readDecimalString.js';
import { readFrameGeometries } from './readFrameGeometries.js';
import { readPixelFormat, type PixelFormat } from './PixelFormat.js';
import { splitSiemensMosaic } from './siemens/splitSiemensMosaic.js';
import { readModalityLut } from './readModalityLut.js';

type DataSet = dicomParser.DataSet;

/** The skipped reason of a file that does not start like DICOM (scanInput looks at those again for NIfTI and NRRD). */
export const notDicomReason = 'not a DICOM file';

/** Enough bytes to hold the header of nearly every single-frame image. */
const headerPrefixBytes = 64 * 1024;

/**
 * Reads one file's header (stopping at the pixel data) into a DicomInstance,
 * or says why it is skipped: not DICOM, or DICOM that is not an image volume.
 * NumberOfFrames is checked against the Pixel Data's bytes before anything is built per frame.
 * Colour images (any PhotometricInterpretation but MONOCHROME1/2) are skipped, whatever their transfer syntax.
 * @throws AxialError for DICOM files that are damaged (DICOM_TRUNCATED, DICOM_MALFORMED,
 *   DICOM_MISSING_TAG), whose frames cannot fit their Pixel Data (DICOM_TRUNCATED,
 *   DICOM_CORRUPT_PIXEL_DATA), or that put more than 2048 frames at one position
 *   (DICOM_MALFORMED); DICOM_UNSUPPORTED_PIXEL_FORMAT for pixels Axial cannot read: float or
 *   double pixel data (parametric maps), BitsAllocated other than 8, 16 or 32 (scanDicom skips
 *   such a file in a folder, with the reason).
 */
export async function readDicomInstance(file: string, fileSize: number): Promise<DicomInstance | SkippedFile> {
  const header = await parseHeader(file, fileSize);
  if (!header) return { file, reason: notDicomReason };
  const { dataSet, bytesParsed } = header;
  const sopClassUid = text(dataSet, 'x00080016') || text(dataSet, 'x00020002');
  const nonImage = nonImageSopClasses[sopClassUid];
  if (nonImage) return { file, reason: `${nonImage}: not an image` };
  if (sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.9.')) return { file, reason: 'Waveform (ECG, audio...): not an image' };
  if (!dataSet.elements.x7fe00010) return withoutPixelData(dataSet, file, sopClassUid);
  const pixelFormat = readPixelFormat(dataSet, file);
  const colour = colourReason(pixelFormat);
  if (colour !== undefined) return { file, reason: colour };
  if (![8, 16, 32].includes(pixelFormat.bitsAllocated)) {
    const message = `BitsAllocated ${pixelFormat.bitsAllocated} is not supported: Axial reads images of 8, 16 or 32 bits a pixel`;
    throw new AxialError('DICOM_UNSUPPORTED_PIXEL_FORMAT', message, { file });
  }
  assertFramesFitPixelData(dataSet, pixelFormat, { fileSize, bytesParsed }, file);
  const warnings: string[] = [];
  const frames = readFrameGeometries(dataSet, pixelFormat.numberOfFrames, file, warnings);
  // Frame 1's own PixelMeasuresSequence first, as its geometry reads it (frames with others are grouped apart).
  const measures = firstItem(perFrameGroup(dataSet, 0), 'x00289110') ?? firstItem(sharedGroup(dataSet), 'x00289110') ?? dataSet;
  const spacing = (i: number): number | undefined =>
    readDecimalString(measures, 'x00280030', i) ?? readDecimalString(dataSet, 'x00280030', i) ?? readDecimalString(dataSet, 'x00181164', i);
  const [rowSpacing, columnSpacing] = [spacing(0), spacing(1)];
  const unspaced = [positive(rowSpacing) === undefined && 'rows', positive(columnSpacing) === undefined && 'columns'].filter(Boolean);
  if (unspaced.length > 0) {
    const tag = dataSet.elements.x00280030 || measures.elements.x00280030 ? 'PixelSpacing' : dataSet.elements.x00181164 ? 'ImagerPixelSpacing' : null;
    const stored = tag === null ? 'no PixelSpacing' : `${tag} ${rowSpacing ?? '(none)'}\\${columnSpacing ?? '(none)'}`;
    warnings.push(`${stored}: 1 mm assumed between ${unspaced.join(' and ')}; measured distances and volumes may be wrong`);
  }
  return splitSiemensMosaic(dataSet, {
    file,
    transferSyntaxUid: text(dataSet, 'x00020010') || '1.2.840.10008.1.2',
    sopClassUid,
    sopInstanceUid: text(dataSet, 'x00080018') || text(dataSet, 'x00020003'),
    studyInstanceUid: text(dataSet, 'x0020000d'),
    seriesInstanceUid: text(dataSet, 'x0020000e'),
    frameOfReferenceUid: text(dataSet, 'x00200052'),
    modality: text(dataSet, 'x00080060'),
    patientId: text(dataSet, 'x00100020'),
    patientName: text(dataSet, 'x00100010'),
    ...optionalTexts(dataSet, { patientBirthDate: 'x00100030', patientSex: 'x00100040', studyDate: 'x00080020', studyTime: 'x00080030' }),
    studyDescription: text(dataSet, 'x00081030'),
    seriesDescription: text(dataSet, 'x0008103e'),
    seriesNumber: dataSet.intString('x00200011'),
    instanceNumber: dataSet.intString('x00200013'),
    acquisitionNumber: dataSet.intString('x00200012'),
    echoNumber: dataSet.intString('x00180086'),
    ...timingAndType(dataSet),
    pixelFormat,
    pixelSpacing: [positive(rowSpacing) ?? 1, positive(columnSpacing) ?? 1],
    sliceThickness: positive(readDecimalString(dataSet, 'x00180050') ?? readDecimalString(measures, 'x00180050')),
    spacingBetweenSlices: positive(readDecimalString(dataSet, 'x00180088') ?? readDecimalString(measures, 'x00180088')),
    frames,
    windowPresets: readWindowPresets(firstItem(sharedGroup(dataSet), 'x00289132') ?? firstItem(perFrameGroup(dataSet, 0), 'x00289132') ?? dataSet),
    rescaleType: text(dataSet, 'x00281054'),
    modalityLut: readModalityLut(dataSet, file),
    warnings,
    nativePixelOffset: nativePixelOffset(dataSet, pixelFormat),
  });
}

/**
 * Why an image with no Pixel Data (7FE0,0010) is skipped; a parametric map's float pixels are refused.
 * @throws AxialError DICOM_UNSUPPORTED_PIXEL_FORMAT for Float or Double Float Pixel Data.
 */
function withoutPixelData(dataSet: DataSet, file: string, sopClassUid: string): SkippedFile {
  const floatPixels = dataSet.elements.x7fe00008
    ? 'Float Pixel Data (7FE0,0008)'
    : dataSet.elements.x7fe00009
      ? 'Double Float Pixel Data (7FE0,0009)'
      : undefined;
  if (floatPixels) {
    throw new AxialError('DICOM_UNSUPPORTED_PIXEL_FORMAT', `float pixel data (parametric map) is not supported yet: the image is in ${floatPixels}`, { file });
  }
  return { file, reason: `no pixel data (SOP class ${sopClassUid || 'unknown'})` };
}

/**
 * Why an image is skipped as colour, whatever its transfer syntax: several samples a pixel, or one that
 * is no gray level (PALETTE COLOR's is an index into colour tables). Undefined for MONOCHROME1/2.
 */
function colourReason(format: PixelFormat): string | undefined {
  const photometric = format.photometricInterpretation.toUpperCase();
  if (format.samplesPerPixel === 1 && (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2')) return undefined;
  return `colour image (${format.photometricInterpretation || 'no PhotometricInterpretation'}): Axial reads grayscale volumes`;
}

/** A header and how many of the file's bytes it was parsed from. */
interface ParsedHeader {
  dataSet: DataSet;
  bytesParsed: number;
}

async function parseHeader(file: string, fileSize: number): Promise<ParsedHeader | undefined> {
  // The prefix is small and read for every file of a folder: synchronously, a syscall each (see readFileRegionSync).
  const prefix = readFileRegionSync(file, 0, Math.min(fileSize, headerPrefixBytes));
  if (!looksLikeDicom(prefix)) return undefined;
  try {
    return { dataSet: parseDicomBytes(prefix, file, { untilTag: 'x7fe00010' }), bytesParsed: prefix.length };
  } catch (error) {
    if (prefix.length === fileSize) throw error;
  }
  const whole = await readFileRegion(file, 0, fileSize);
  return { dataSet: parseDicomBytes(whole, file, { untilTag: 'x7fe00010' }), bytesParsed: whole.length };
}

const nativeLittleEndian = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

function nativePixelOffset(dataSet: DataSet, format: PixelFormat): number | undefined {
  const pixels = dataSet.elements.x7fe00010;
  const preamble = dataSet.byteArray.length >= 132 && text(dataSet, 'x00020010') !== '' && dataSet.byteArray[128] === 0x44;
  const frameBytes = format.rows * format.columns * (format.bitsAllocated / 8);
  const native = nativeLittleEndian.has(text(dataSet, 'x00020010') || '1.2.840.10008.1.2');
  if (!pixels || !preamble || !native || pixels.encapsulatedPixelData || format.numberOfFrames !== 1) return undefined;
  return pixels.length >= frameBytes ? pixels.dataOffset : undefined;
}

function sharedGroup(dataSet: DataSet): DataSet | undefined {
  return firstItem(dataSet, 'x52009229');
}

function perFrameGroup(dataSet: DataSet, frame: number): DataSet | undefined {
  return dataSet.elements.x52009230?.items?.[frame]?.dataSet;
}

function firstItem(dataSet: DataSet | undefined, tag: string): DataSet | undefined {
  return dataSet?.elements[tag]?.items?.[0]?.dataSet;
}

function readWindowPresets(dataSet: DataSet): WindowPreset[] {
  const presets: WindowPreset[] = [];
  const names = text(dataSet, 'x00281055').split('\\');
  for (let i = 0; ; i++) {
    const center = readDecimalString(dataSet, 'x00281050', i);
    const width = readDecimalString(dataSet, 'x00281051', i);
    if (center === undefined || width === undefined || !(width > 0)) break;
    const name = names[i]?.trim();
    presets.push(name ? { center, width, name } : { center, width });
  }
  return presets;
}

/** The non-empty texts of these tags, under their names (an empty or absent one is left out). */
function optionalTexts<K extends string>(dataSet: DataSet, tags: Record<K, string>): Partial<Record<K, string>> {
  const found: Partial<Record<K, string>> = {};
  for (const [name, tag] of Object.entries(tags) as [K, string][]) {
    const value = text(dataSet, tag);
    if (value) found[name] = value;
  }
  return found;
}

/**
 * ImageType, RepetitionTime (in the data set, or in an enhanced MR object's shared, else frame 1's,
 * MRTimingAndRelatedParametersSequence) and TemporalPositionIdentifier, for telling series apart and
 * writing 4D NIfTI; absent when not stored.
 */
function timingAndType(dataSet: DataSet): Pick<DicomInstance, 'imageType' | 'repetitionTime' | 'temporalPosition'> {
  const imageType = text(dataSet, 'x00080008');
  const timing = firstItem(sharedGroup(dataSet), 'x00189112') ?? firstItem(perFrameGroup(dataSet, 0), 'x00189112');
  const repetitionTime = positive(readDecimalString(dataSet, 'x00180080') ?? readDecimalString(timing, 'x00180080'));
  const temporalPosition = dataSet.intString('x00200100');
  return {
    ...(imageType && { imageType: imageType.split('\\').map((part) => part.trim()) }),
    ...(repetitionTime !== undefined && { repetitionTime }),
    ...(temporalPosition !== undefined && Number.isFinite(temporalPosition) && { temporalPosition }),
  };
}

function text(dataSet: DataSet, tag: string): string {
  return (dataSet.string(tag) ?? '').trim();
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}
