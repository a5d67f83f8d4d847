import type dicomParser from 'dicom-parser';
import { AxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { readFileRegionSync } from '../io/readFileRegionSync.js';
import type { WindowPreset } from '../volume/Volume.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { cross, dot, unit } from '../../core/geometry/vec3.js';
import { assertFramesFitPixelData } from './assertFramesFitPixelData.js';
import type { DicomFrameGeometry, DicomInstance, SkippedFile } from './DicomInstance.js';
import { nonImageSopClasses } from './nonImageSopClasses.js';
import { parseDicomBytes } from './parseDicomBytes.js';
import { readPhilipsScaleSlopes } from './philips/readPhilipsScaleSlopes.js';
import { readPixelFormat, type PixelFormat } from './PixelFormat.js';
import { splitSiemensMosaic } from './siemens/splitSiemensMosaic.js';

type DataSet = dicomParser.DataSet;

/** The skipped reason of a file that does not start like DICOM (scanInput looks at those again for NIfTI and NRRD). */
export const notDicomReason = 'not a DICOM file';

/** Enough bytes to hold the header of nearly every single-frame image. */
const headerPrefixBytes = 64 * 1024;
/**
 * Frames of one file at one position become one volume each (groupIntoSeries), and each volume
 * reads the whole file again: a file may hold this many such frames (a cine or time series of
 * one slice; 4D acquisitions repeat each position once per time point), not a million.
 */
const maxFramesAtOnePosition = 2048;

/**
 * Reads one file's header (stopping at the pixel data) into a DicomInstance,
 * or says why it is skipped: not DICOM, or DICOM that is not an image volume.
 * NumberOfFrames is checked against the Pixel Data's bytes before anything is built per frame.
 * @throws AxialError for DICOM files that are damaged (DICOM_TRUNCATED, DICOM_MALFORMED,
 *   DICOM_MISSING_TAG), whose frames cannot fit their Pixel Data (DICOM_TRUNCATED,
 *   DICOM_CORRUPT_PIXEL_DATA), or that put more than 2048 frames at one position
 *   (DICOM_MALFORMED).
 */
export async function readDicomInstance(file: string, fileSize: number): Promise<DicomInstance | SkippedFile> {
  const header = await parseHeader(file, fileSize);
  if (!header) return { file, reason: notDicomReason };
  const { dataSet, bytesParsed } = header;
  const sopClassUid = text(dataSet, 'x00080016') || text(dataSet, 'x00020002');
  const nonImage = nonImageSopClasses[sopClassUid];
  if (nonImage) return { file, reason: `${nonImage}: not an image` };
  if (sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.9.')) return { file, reason: 'Waveform (ECG, audio...): not an image' };
  if (!dataSet.elements.x7fe00010) return { file, reason: `no pixel data (SOP class ${sopClassUid || 'unknown'})` };
  const pixelFormat = readPixelFormat(dataSet, file);
  if (pixelFormat.samplesPerPixel !== 1) {
    return { file, reason: `colour image (${pixelFormat.photometricInterpretation}): Axial reads grayscale volumes` };
  }
  assertFramesFitPixelData(dataSet, pixelFormat, { fileSize, bytesParsed }, file);
  const warnings: string[] = [];
  const frames = readFrameGeometries(dataSet, pixelFormat.numberOfFrames, file, warnings);
  const shared = sharedGroup(dataSet);
  const measures = firstItem(shared, 'x00289110') ?? firstItem(perFrameGroup(dataSet, 0), 'x00289110') ?? dataSet;
  const rowSpacing = float(dataSet, 'x00280030', 0) ?? float(measures, 'x00280030', 0) ?? float(dataSet, 'x00181164', 0);
  const columnSpacing = float(dataSet, 'x00280030', 1) ?? float(measures, 'x00280030', 1) ?? float(dataSet, 'x00181164', 1);
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
    sliceThickness: positive(float(dataSet, 'x00180050') ?? float(measures, 'x00180050')),
    spacingBetweenSlices: positive(float(dataSet, 'x00180088') ?? float(measures, 'x00180088')),
    frames,
    windowPresets: readWindowPresets(firstItem(sharedGroup(dataSet), 'x00289132') ?? firstItem(perFrameGroup(dataSet, 0), 'x00289132') ?? dataSet),
    rescaleType: text(dataSet, 'x00281054'),
    warnings,
    nativePixelOffset: nativePixelOffset(dataSet, pixelFormat),
  });
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

/** Part 10 files say DICM at 128; older files without a preamble start with a group 0008 (or 0002) tag. */
function looksLikeDicom(bytes: Uint8Array): boolean {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) {
    return true;
  }
  return bytes.length >= 8 && (bytes[0] === 0x08 || bytes[0] === 0x02) && bytes[1] === 0x00 && bytes[3] === 0x00;
}

function readFrameGeometries(dataSet: DataSet, frameCount: number, file: string, warnings: string[]): DicomFrameGeometry[] {
  const shared = sharedGroup(dataSet);
  const frames: DicomFrameGeometry[] = [];
  const framesAt = new Map<string, number>();
  const philipsScaleSlopes = readPhilipsScaleSlopes(dataSet, frameCount);
  for (let f = 0; f < frameCount; f++) {
    const perFrame = perFrameGroup(dataSet, f);
    const plane = firstItem(perFrame, 'x00209113') ?? firstItem(shared, 'x00209113') ?? dataSet;
    const orientationSource = firstItem(perFrame, 'x00209116') ?? firstItem(shared, 'x00209116') ?? dataSet;
    const rescale = firstItem(perFrame, 'x00289145') ?? firstItem(shared, 'x00289145') ?? dataSet;
    let position = floats(plane, 'x00200032', 3) ?? (f === 0 ? floats(dataSet, 'x00200032', 3) : undefined);
    const storedOrientation = floats(orientationSource, 'x00200037', 6);
    // All zeros is how some secondary-capture writers and anonymisers leave it unfilled: read as absent.
    let orientation = storedOrientation?.every((v) => v === 0) ? undefined : storedOrientation;
    if (!position || !orientation) {
      if (frameCount > 1) {
        throw new AxialError('DICOM_MISSING_TAG', `frame ${f + 1} has no ImagePositionPatient/ImageOrientationPatient, so it cannot be placed in 3D`, { file });
      }
      // A projection image (CR, DX, secondary capture): shown as a 2D image at the origin, as dcm2niix does.
      warnings.push('no ImagePositionPatient/ImageOrientationPatient: a 2D image placed at the origin, not in patient space');
      // Both, even where one is stored: a real position under an invented orientation would invent left and right.
      position = [0, 0, 0];
      orientation = [1, 0, 0, 0, 1, 0];
    }
    const problem = orientationProblem(orientation);
    if (problem !== null) {
      const where = frameCount > 1 ? `frame ${f + 1}'s ` : '';
      throw new AxialError('DICOM_MALFORMED', `${where}ImageOrientationPatient (${orientation.join(', ')}) ${problem}, so it cannot be placed in 3D`, {
        file,
      });
    }
    const skew = skewDegrees(orientation);
    if (skew > 0.1)
      warnings.push(`ImageOrientationPatient's row and column directions are ${(90 - skew).toFixed(1)}° apart, not 90°: the image is placed sheared`);
    const at = position.map((v) => v.toFixed(3)).join(',');
    const count = (framesAt.get(at) ?? 0) + 1;
    framesAt.set(at, count);
    if (count > maxFramesAtOnePosition) {
      throw new AxialError(
        'DICOM_MALFORMED',
        `the header claims ${frameCount} frames, ` +
          `and more than ${maxFramesAtOnePosition} of them lie at one position (${at}): each would be a volume of its own`,
        { file },
      );
    }
    const slope = float(rescale, 'x00281053') ?? 1;
    frames.push({
      position: position as unknown as Vec3,
      orientation: orientation as unknown as DicomFrameGeometry['orientation'],
      slope: slope === 0 ? 1 : slope,
      intercept: float(rescale, 'x00281052') ?? 0,
      ...(philipsScaleSlopes?.[f] !== undefined && { philipsScaleSlope: philipsScaleSlopes[f] }),
    });
  }
  return frames;
}

/** Why ImageOrientationPatient's row and column directions do not span a plane (null: they do). */
function orientationProblem(orientation: readonly number[]): string | null {
  const row = orientation.slice(0, 3) as unknown as Vec3;
  const column = orientation.slice(3, 6) as unknown as Vec3;
  if (Math.hypot(...row) < 1e-3 || Math.hypot(...column) < 1e-3) return 'has a zero-length direction';
  if (Math.hypot(...cross(unit(row), unit(column))) < 1e-3) return 'has parallel row and column directions';
  return null;
}

/** How far (degrees) ImageOrientationPatient's row and column directions are from perpendicular. */
function skewDegrees(orientation: readonly number[]): number {
  const row = unit(orientation.slice(0, 3) as unknown as Vec3);
  const column = unit(orientation.slice(3, 6) as unknown as Vec3);
  return 90 - (Math.acos(Math.min(1, Math.abs(dot(row, column)))) * 180) / Math.PI;
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

function floats(dataSet: DataSet, tag: string, count: number): number[] | undefined {
  if (valueCount(dataSet, tag) < count) return undefined;
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = float(dataSet, tag, i);
    if (v === undefined) return undefined;
    values.push(v);
  }
  return values;
}

function readWindowPresets(dataSet: DataSet): WindowPreset[] {
  const presets: WindowPreset[] = [];
  const names = text(dataSet, 'x00281055').split('\\');
  const count = Math.min(valueCount(dataSet, 'x00281050'), valueCount(dataSet, 'x00281051'));
  for (let i = 0; i < count; i++) {
    const center = float(dataSet, 'x00281050', i);
    const width = float(dataSet, 'x00281051', i);
    if (center === undefined || width === undefined || !Number.isFinite(center) || !(width > 0)) break;
    const name = names[i]?.trim();
    presets.push(name ? { center, width, name } : { center, width });
  }
  return presets;
}

/** One value of a DS/IS element, or undefined when absent, empty or not a number. */
function float(dataSet: DataSet, tag: string, index = 0): number | undefined {
  if (valueCount(dataSet, tag) <= index) return undefined;
  const value = dataSet.floatString(tag, index);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** dicom-parser's floatString(tag, i) throws past the last value, so count first. */
function valueCount(dataSet: DataSet, tag: string): number {
  return dataSet.elements[tag] ? (dataSet.numStringValues(tag) ?? 0) : 0;
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

/** ImageType, RepetitionTime and TemporalPositionIdentifier, for telling series apart and writing 4D NIfTI; absent when not stored. */
function timingAndType(dataSet: DataSet): Pick<DicomInstance, 'imageType' | 'repetitionTime' | 'temporalPosition'> {
  const imageType = text(dataSet, 'x00080008');
  const repetitionTime = positive(float(dataSet, 'x00180080'));
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
