import type dicomParser from 'dicom-parser';
import { AxialError } from '../errors/AxialError.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { cross, dot, unit } from '../../core/geometry/vec3.js';
import type { DicomFrameGeometry } from './DicomInstance.js';
import { readPhilipsScaleSlopes } from './philips/readPhilipsScaleSlopes.js';
import { readDecimalString } from './readDecimalString.js';
import { secondsOfDicomTime } from './secondsOfDicomTime.js';
import { stackClassicFrames } from './stackClassicFrames.js';

type DataSet = dicomParser.DataSet;

/**
 * Frames of one file at one position become one volume each (groupIntoSeries), and each volume
 * reads the whole file again: a file may hold this many such frames (a cine or time series of
 * one slice; 4D acquisitions repeat each position once per time point), not a million.
 */
const maxFramesAtOnePosition = 2048;

/** A frame's functional group items (PS3.3 C.7.6.16), its own where it has one, else the shared one. */
interface FrameGroups {
  readonly plane: DataSet | undefined;
  readonly orientation: DataSet | undefined;
  readonly rescale: DataSet | undefined;
  readonly measures: DataSet | undefined;
  readonly content: DataSet | undefined;
  readonly cardiac: DataSet | undefined;
}

/**
 * Each frame's place, rescale, pixel spacing and timing: from an enhanced object's per-frame
 * functional groups, else its shared ones, else the data set itself. A classic multi-frame CT, MR,
 * PET or NM image with one ImagePositionPatient has its frames stacked at SpacingBetweenSlices
 * (stackClassicFrames), with a warning; an image with no position at all is a 2D image at the origin.
 * @throws AxialError DICOM_MISSING_TAG when a frame of several cannot be placed, DICOM_MALFORMED when
 *   an orientation spans no plane or more than 2048 frames lie at one position.
 */
export function readFrameGeometries(dataSet: DataSet, frameCount: number, file: string, warnings: string[]): DicomFrameGeometry[] {
  const frames: DicomFrameGeometry[] = [];
  const framesAt = new Map<string, number>();
  const philipsScaleSlopes = readPhilipsScaleSlopes(dataSet, frameCount);
  // NM keeps the image's position and orientation in its DetectorInformationSequence (one item for a reconstruction).
  const detectors = dataSet.elements.x00540022?.items;
  const stored = dataSet.elements.x00200032 || dataSet.elements.x00200037;
  const classic = (!stored && detectors?.length === 1 ? detectors[0]?.dataSet : undefined) ?? dataSet;
  let stacked: Vec3[] | undefined;
  for (let f = 0; f < frameCount; f++) {
    const groups = frameGroups(dataSet, f);
    let position = (floats(groups.plane ?? classic, 'x00200032', 3) ?? (f === 0 ? floats(classic, 'x00200032', 3) : undefined)) as Vec3 | undefined;
    const storedOrientation = floats(groups.orientation ?? classic, 'x00200037', 6);
    // All zeros is how some secondary-capture writers and anonymisers leave it unfilled: read as absent.
    let orientation = storedOrientation?.every((v) => v === 0) ? undefined : storedOrientation;
    if (f === 0 && position && orientation) {
      const stack = stackClassicFrames(dataSet, frameCount, position, orientation);
      if (stack) warnings.push(stack.warning);
      stacked = stack?.positions;
    }
    position = stacked?.[f] ?? position;
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
    assertPlacesFrame(orientation, frameCount > 1 ? `frame ${f + 1}'s ` : '', file, warnings);
    countAtPosition(framesAt, position, frameCount, file);
    frames.push({
      position,
      orientation: orientation as unknown as DicomFrameGeometry['orientation'],
      ...rescaleOf(groups.rescale ?? dataSet),
      ...(philipsScaleSlopes?.[f] !== undefined && { philipsScaleSlope: philipsScaleSlopes[f] }),
      ...frameTiming(dataSet, groups),
      ...pixelSpacingOf(groups.measures),
    });
  }
  return frames;
}

function frameGroups(dataSet: DataSet, frame: number): FrameGroups {
  const shared = firstItem(dataSet, 'x52009229');
  const perFrame = dataSet.elements.x52009230?.items?.[frame]?.dataSet;
  const item = (tag: string): DataSet | undefined => firstItem(perFrame, tag) ?? firstItem(shared, tag);
  return {
    plane: item('x00209113'),
    orientation: item('x00209116'),
    rescale: item('x00289145'),
    measures: item('x00289110'),
    content: firstItem(perFrame, 'x00209111'),
    cardiac: item('x00189118'),
  };
}

function rescaleOf(source: DataSet): Pick<DicomFrameGeometry, 'slope' | 'intercept'> {
  const slope = readDecimalString(source, 'x00281053') ?? 1;
  return { slope: slope === 0 ? 1 : slope, intercept: readDecimalString(source, 'x00281052') ?? 0 };
}

/** The frame's own PixelSpacing, where its (or the shared) PixelMeasuresSequence gives a positive one. */
function pixelSpacingOf(measures: DataSet | undefined): Pick<DicomFrameGeometry, 'pixelSpacing'> {
  const rows = readDecimalString(measures, 'x00280030', 0);
  const columns = readDecimalString(measures, 'x00280030', 1);
  return rows !== undefined && columns !== undefined && rows > 0 && columns > 0 ? { pixelSpacing: [rows, columns] } : {};
}

/** TemporalPositionIndex, trigger time and acquisition time, each where stored. */
function frameTiming(
  dataSet: DataSet,
  { content, cardiac }: FrameGroups,
): Pick<DicomFrameGeometry, 'temporalPositionIndex' | 'triggerTime' | 'acquisitionTime'> {
  const temporalPositionIndex = content?.elements.x00209128 ? content.uint32('x00209128') : undefined;
  // NominalCardiacTriggerDelayTime is FD (binary); TriggerTime is DS.
  const nominal = cardiac?.elements.x00209153?.length === 8 ? cardiac.double('x00209153') : undefined;
  const triggerTime = nominal !== undefined && Number.isFinite(nominal) ? nominal : readDecimalString(dataSet, 'x00181060');
  const acquisitionTime = time(content, 'x00189074', 'DT') ?? time(dataSet, 'x00080032', 'TM') ?? time(dataSet, 'x0008002a', 'DT');
  return {
    ...(temporalPositionIndex !== undefined && { temporalPositionIndex }),
    ...(triggerTime !== undefined && { triggerTime }),
    ...(acquisitionTime !== undefined && { acquisitionTime }),
  };
}

function time(dataSet: DataSet | undefined, tag: string, vr: 'TM' | 'DT'): number | undefined {
  const value = dataSet?.string(tag);
  return value ? secondsOfDicomTime(value, vr) : undefined;
}

/** Refuses an orientation that spans no plane; warns of one whose directions are not perpendicular. */
function assertPlacesFrame(orientation: readonly number[], where: string, file: string, warnings: string[]): void {
  const row = unit(orientation.slice(0, 3) as unknown as Vec3);
  const column = unit(orientation.slice(3, 6) as unknown as Vec3);
  const problem =
    Math.hypot(...orientation.slice(0, 3)) < 1e-3 || Math.hypot(...orientation.slice(3, 6)) < 1e-3
      ? 'has a zero-length direction'
      : Math.hypot(...cross(row, column)) < 1e-3
        ? 'has parallel row and column directions'
        : null;
  if (problem !== null) {
    throw new AxialError('DICOM_MALFORMED', `${where}ImageOrientationPatient (${orientation.join(', ')}) ${problem}, so it cannot be placed in 3D`, { file });
  }
  const skew = 90 - (Math.acos(Math.min(1, Math.abs(dot(row, column)))) * 180) / Math.PI;
  if (skew > 0.1) {
    warnings.push(`ImageOrientationPatient's row and column directions are ${(90 - skew).toFixed(1)}° apart, not 90°: the image is placed sheared`);
  }
}

function countAtPosition(framesAt: Map<string, number>, position: Vec3, frameCount: number, file: string): void {
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
}

function firstItem(dataSet: DataSet | undefined, tag: string): DataSet | undefined {
  return dataSet?.elements[tag]?.items?.[0]?.dataSet;
}

function floats(dataSet: DataSet, tag: string, count: number): number[] | undefined {
  const values = Array.from({ length: count }, (_, i) => readDecimalString(dataSet, tag, i));
  return values.every((v) => v !== undefined) ? (values as number[]) : undefined;
}
