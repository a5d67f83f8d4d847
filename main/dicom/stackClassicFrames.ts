import type dicomParser from 'dicom-parser';
import type { Vec3 } from '../../core/geometry/types.js';
import { add, cross, scale, unit } from '../../core/geometry/vec3.js';
import { readDecimalString } from './readDecimalString.js';

type DataSet = dicomParser.DataSet;

/** Modalities whose classic multi-frame images are a volume's slices where SpacingBetweenSlices says how far apart. */
const stackedModalities = new Set(['CT', 'MR', 'PT', 'NM']);
/** SliceVector (0054,0080): an NM frame's slice, 1-based. */
const sliceVectorTag = 'x00540080';

/** Each frame's ImagePositionPatient, made up from one position and the slice spacing, and the warning that says so. */
export interface StackedFrames {
  readonly positions: Vec3[];
  readonly warning: string;
}

/**
 * Where the frames of a classic multi-frame CT, MR, PET or NM image lie when the file gives one
 * ImagePositionPatient for all of them (no per-frame functional groups): stacked from it along the
 * slice normal (row × column), SpacingBetweenSlices (0018,0088) apart, as dcm2niix places them. An NM
 * image is stacked only where its FrameIncrementPointer (0028,0009) names SliceVector (a reconstructed
 * tomo), each frame at its SliceVector slice; a CT, MR or PET image unless its FrameIncrementPointer
 * names something else (times: a cine). Undefined, the frames staying at the one position (time
 * points, as a cine's), for other modalities (US, XA...), without a positive SpacingBetweenSlices, or
 * where the frames are not slices.
 */
export function stackClassicFrames(dataSet: DataSet, frameCount: number, position: Vec3, orientation: readonly number[]): StackedFrames | undefined {
  if (frameCount < 2 || dataSet.elements.x52009230) return undefined;
  const modality = (dataSet.string('x00080060') ?? '').trim().toUpperCase();
  const spacing = readDecimalString(dataSet, 'x00180088');
  if (!stackedModalities.has(modality) || spacing === undefined || !(spacing > 0)) return undefined;
  const pointers = frameIncrementPointers(dataSet);
  const bySliceVector = pointers.includes(sliceVectorTag);
  if (!bySliceVector && (modality === 'NM' || pointers.length > 0)) return undefined;
  const slices = bySliceVector ? sliceVector(dataSet, frameCount) : [...Array(frameCount).keys()];
  if (slices === undefined) return undefined;
  const normal = unit(cross([orientation[0]!, orientation[1]!, orientation[2]!], [orientation[3]!, orientation[4]!, orientation[5]!]));
  return {
    positions: slices.map((k) => add(position, scale(normal, k * spacing))),
    warning:
      `frame positions taken from the slice spacing: the file gives one ImagePositionPatient for its ${frameCount} frames, ` +
      `so they are placed ${spacing} mm apart (SpacingBetweenSlices) along the slice normal`,
  };
}

/** The tags FrameIncrementPointer (AT, each value a group and an element) names, as 'xggggeeee'. */
function frameIncrementPointers(dataSet: DataSet): string[] {
  const element = dataSet.elements.x00280009;
  if (!element) return [];
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return Array.from(
    { length: Math.floor(element.length / 4) },
    (_, i) => `x${hex(dataSet.uint16('x00280009', 2 * i) ?? 0)}${hex(dataSet.uint16('x00280009', 2 * i + 1) ?? 0)}`,
  );
}

/** Each frame's 0-based slice from SliceVector, or undefined where it does not give one for every frame. */
function sliceVector(dataSet: DataSet, frameCount: number): number[] | undefined {
  const element = dataSet.elements[sliceVectorTag];
  if (!element || element.length < 2 * frameCount) return undefined;
  const slices = Array.from({ length: frameCount }, (_, f) => (dataSet.uint16(sliceVectorTag, f) ?? 0) - 1);
  return slices.every((k) => k >= 0) ? slices : undefined;
}
