import { AxialError } from '../errors/AxialError.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import type { VolumeGrid } from '../volume/Volume.js';
import { worldToIndex } from '../../core/geometry/indexToWorld.js';
import { assertSegLayersFit, tooManySegLayers } from './assertSegLayersFit.js';
import { labelLayerLimits } from '../../core/labels/labelLayerLimits.js';
import type { ParsedSeg } from './parseDicomSeg.js';
import type { SegLayers, SegSegment } from './SegSegment.js';

/** How far (in voxels) a frame's first pixel may lie from a voxel centre of the volume. */
export const framePositionTolerance = 1e-2;
/** Largest difference between a frame's row/column direction cosines and the volume's i/j axes. */
export const frameOrientationTolerance = 1e-3;
/** Largest relative difference between the SEG's PixelSpacing and the volume's i/j spacing. */
const spacingTolerance = 1e-3;

/** Where the frames go: slice k per frame. */
interface FramePlacement {
  readonly slices: number[];
  readonly warnings: string[];
}

/**
 * Puts a parsed SEG on the volume it was drawn on, one frame per slice k.
 *
 * A frame goes to the slice whose SOP Instance UID it references (volume.metadata.sopInstanceUids),
 * or to the slice its ImagePositionPatient lands on: the volume's voxel (0, 0, k) within
 * {@link framePositionTolerance} voxel of an integer k. When both exist and disagree, the
 * position wins, with a warning; a position between slices (the volume was assembled onto a
 * regular grid from irregularly spaced slices) leaves the UID to decide, with a warning.
 *
 * Layers: segments are taken in SegmentSequence order and each goes into the first layer where
 * none of its voxels is taken, so overlapping segments end up in different layers and each one
 * keeps all its voxels. Every segment's label value is its SegmentNumber (unique in the SEG, so
 * unique in its layer). A layer is a Uint8Array unless one of its values is over 255.
 *
 * @param name - names the SEG in warnings and errors.
 * @throws AxialError SEG_SOURCE_MISMATCH when the frames' size, orientation or pixel spacing
 *   differs from the volume's slices, or a frame lands on no slice (it references images that
 *   are not in this series); the message says which and why.
 * @throws AxialError SEG_UNSUPPORTED, before the layers are allocated, when its segments overlap so
 *   much that they would need more than {@link labelLayerLimits} allows (64 layers, 4 GiB).
 */
export function placeSegOnVolume(seg: ParsedSeg, volume: VolumeGrid, name: string): { seg: SegLayers; warnings: string[] } {
  checkPlaneGeometry(seg, volume, name);
  const placement = placeFrames(seg, volume, name);
  const warnings = [...seg.warnings, ...placement.warnings];
  const voxelLists = collectVoxels(seg, volume, placement.slices, warnings);
  return { seg: buildLayers(seg, volume, voxelLists, name), warnings };
}

function mismatch(name: string, message: string): AxialError {
  return new AxialError('SEG_SOURCE_MISMATCH', message, { file: name });
}

function checkPlaneGeometry(seg: ParsedSeg, volume: VolumeGrid, name: string): void {
  const [ni, nj] = volume.dimensions;
  if (seg.columns !== ni || seg.rows !== nj) {
    throw mismatch(name, `its frames are ${seg.columns}×${seg.rows} pixels but the volume's slices are ${ni}×${nj}: it was not drawn on this series`);
  }
  if (seg.orientation) {
    const row = seg.orientation.slice(0, 3);
    const column = seg.orientation.slice(3, 6);
    const off = (a: readonly number[], b: readonly number[]): boolean => a.some((v, c) => Math.abs(v - b[c]!) > frameOrientationTolerance);
    if (off(row, volume.direction[0]) || off(column, volume.direction[1])) {
      throw mismatch(
        name,
        `its frames are oriented [${seg.orientation.join(', ')}] ` +
          `but the volume's slices are [${[...volume.direction[0], ...volume.direction[1]].map((v) => +v.toFixed(6)).join(', ')}]`,
      );
    }
  }
  if (seg.pixelSpacing) {
    const [betweenRows, betweenColumns] = seg.pixelSpacing;
    const [si, sj] = volume.spacing;
    if (Math.abs(betweenColumns - si) > spacingTolerance * si || Math.abs(betweenRows - sj) > spacingTolerance * sj) {
      throw mismatch(name, `its pixel spacing is ${betweenRows}\\${betweenColumns} mm but the volume's is ${sj}\\${si} mm`);
    }
  }
}

function placeFrames(seg: ParsedSeg, volume: VolumeGrid, name: string): FramePlacement {
  const warnings: string[] = [];
  const byUid = uniqueSliceUids(volume.metadata.sopInstanceUids ?? []);
  const sameFrame = !seg.frameOfReferenceUid || !volume.metadata.frameOfReferenceUid || seg.frameOfReferenceUid === volume.metadata.frameOfReferenceUid;
  if (!sameFrame) {
    warnings.push(`its Frame of Reference (${seg.frameOfReferenceUid}) is not the volume's (${volume.metadata.frameOfReferenceUid})`);
  }
  const refSeries = seg.referencedSeriesInstanceUid;
  const volumeSeries = volume.metadata.seriesInstanceUid;
  if (refSeries && volumeSeries && refSeries !== volumeSeries) {
    warnings.push(`it was made on series ${refSeries}, not on this volume's series ${volumeSeries}`);
  }
  if (!seg.orientation) warnings.push('it has no ImageOrientationPatient; frames are placed only by the SOP Instance UID they reference');
  const slices: number[] = [];
  const unplaced: number[] = [];
  let disagreements = 0;
  const offSlices = { inPlane: 0, inPlaneMm: 0, between: 0, outside: 0 };
  seg.frames.forEach((frame, f) => {
    const byReference = frame.sourceSopInstanceUid === undefined ? undefined : byUid.get(frame.sourceSopInstanceUid);
    const byPosition = seg.orientation && frame.position ? sliceAtPosition(volume, frame.position) : undefined;
    if (byPosition !== undefined && byReference !== undefined && byPosition !== byReference) disagreements++;
    if (byPosition === undefined && byReference !== undefined && frame.position && seg.orientation) countOffSlice(volume, frame.position, offSlices);
    const k = byPosition ?? byReference;
    if (k === undefined) unplaced.push(f + 1);
    slices.push(k ?? -1);
  });
  if (unplaced.length > 0) throw mismatch(name, unplacedMessage(seg, volume, unplaced, sameFrame));
  if (disagreements > 0) {
    warnings.push(`${disagreements} frame(s) reference one slice's SOP Instance UID but lie on another slice; placed by their position`);
  }
  warnings.push(...offSliceWarnings(offSlices));
  return { slices, warnings };
}

/** Frames that reference a slice but whose position is on none: how many, and how they miss. */
interface OffSlices {
  /** Shifted within the slice's plane (their first pixel is not on voxel (0, 0) of a slice), by up to `inPlaneMm`. */
  inPlane: number;
  inPlaneMm: number;
  /** In the plane of no slice, between two. */
  between: number;
  /** Beyond the first or last slice. */
  outside: number;
}

function countOffSlice(volume: VolumeGrid, position: readonly [number, number, number], off: OffSlices): void {
  const [i, j, k] = worldToIndex(volume, position);
  const near = (v: number, target: number): boolean => Math.abs(v - target) <= framePositionTolerance;
  if (!near(i, 0) || !near(j, 0)) {
    off.inPlane++;
    off.inPlaneMm = Math.max(off.inPlaneMm, Math.hypot(i * volume.spacing[0], j * volume.spacing[1]));
  } else if (Math.round(k) < 0 || Math.round(k) >= volume.dimensions[2]) off.outside++;
  else off.between++;
}

function offSliceWarnings(off: OffSlices): string[] {
  const placed = 'placed by the SOP Instance UID they reference';
  const warnings: string[] = [];
  if (off.inPlane > 0) {
    warnings.push(
      `${off.inPlane} frame(s) are shifted in-plane by up to ${+off.inPlaneMm.toPrecision(3)} mm from the volume's voxels ` +
        `(their first pixel is not on a voxel centre of a slice); ${placed}, pixel for pixel on that slice's voxels`,
    );
  }
  if (off.between > 0) {
    warnings.push(`${off.between} frame(s) lie between the volume's slices (as when irregularly spaced slices were loaded onto a regular grid); ${placed}`);
  }
  if (off.outside > 0) warnings.push(`${off.outside} frame(s) lie beyond the volume's first or last slice; ${placed}`);
  return warnings;
}

/** SOP Instance UID → slice, for UIDs that name one slice only (a multi-frame source repeats its UID). */
function uniqueSliceUids(uids: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  const repeated = new Set<string>();
  uids.forEach((uid, k) => {
    if (map.has(uid)) repeated.add(uid);
    map.set(uid, k);
  });
  for (const uid of repeated) map.delete(uid);
  return map;
}

/** The slice k whose voxel (0, 0, k) is at `position`, or undefined when none is. */
function sliceAtPosition(volume: VolumeGrid, position: readonly [number, number, number]): number | undefined {
  const [i, j, k] = worldToIndex(volume, position);
  const kk = Math.round(k);
  const near = (v: number, target: number): boolean => Math.abs(v - target) <= framePositionTolerance;
  if (!near(i, 0) || !near(j, 0) || !near(k, kk) || kk < 0 || kk >= volume.dimensions[2]) return undefined;
  return kk;
}

function unplacedMessage(seg: ParsedSeg, volume: VolumeGrid, unplaced: readonly number[], sameFrame: boolean): string {
  const list = unplaced.length > 5 ? `${unplaced.slice(0, 5).join(', ')}… (${unplaced.length} of ${seg.frames.length})` : unplaced.join(', ');
  const reasons: string[] = [];
  const f = seg.frames[unplaced[0]! - 1]!;
  if (f.sourceSopInstanceUid) reasons.push(`frame ${unplaced[0]} references SOP Instance ${f.sourceSopInstanceUid}, which is not a slice of this volume`);
  else reasons.push(`frame ${unplaced[0]} references no source image`);
  if (!f.position) reasons.push('has no ImagePositionPatient');
  else if (!seg.orientation) reasons.push('has a position but the SEG has no ImageOrientationPatient');
  else
    reasons.push(
      `its position (${f.position.map((v) => +v.toFixed(3)).join(', ')}) is on no slice of the volume (index ${worldToIndex(volume, f.position)
        .map((v) => +v.toFixed(3))
        .join(', ')})`,
    );
  if (!sameFrame) reasons.push("and the SEG's Frame of Reference is not the volume's");
  return `it references images that are not in this series: frame(s) ${list} land on no slice; ${reasons.join(', ')}`;
}

/** Per segment (in `seg.segments` order), the volume indices of its voxels, in runs per frame. */
function collectVoxels(seg: ParsedSeg, volume: VolumeGrid, slices: readonly number[], warnings: string[]): Uint32Array[][] {
  const index = new Map(seg.segments.map((s, n) => [s.number, n]));
  const lists: Uint32Array[][] = seg.segments.map(() => []);
  const sliceSize = volume.dimensions[0] * volume.dimensions[1];
  const background = new Set(seg.backgroundNumbers);
  const undeclared = new Set<number>();
  seg.frames.forEach((frame, f) => {
    const pixels = seg.readFrame(f);
    const base = slices[f]! * sliceSize;
    if (seg.segmentationType !== 'LABELMAP') {
      const n = index.get(frame.segmentNumber!);
      if (n !== undefined) lists[n]!.push(nonzeroOffsets(pixels, base));
      return;
    }
    for (const [value, offsets] of offsetsByValue(pixels, base)) {
      const n = index.get(value);
      if (n !== undefined) lists[n]!.push(offsets);
      else if (!background.has(value)) undeclared.add(value);
    }
  });
  if (undeclared.size > 0) {
    warnings.push(`pixel values ${[...undeclared].sort((a, b) => a - b).join(', ')} name no segment of the SegmentSequence; left out`);
  }
  return lists;
}

/** `base` plus the index of every non-zero pixel. */
function nonzeroOffsets(pixels: LabelArray, base: number): Uint32Array {
  let count = 0;
  for (let p = 0; p < pixels.length; p++) if (pixels[p] !== 0) count++;
  const out = new Uint32Array(count);
  for (let p = 0, n = 0; n < count; p++) if (pixels[p] !== 0) out[n++] = base + p;
  return out;
}

/** Per non-zero value, `base` plus the index of every pixel that holds it. */
function offsetsByValue(pixels: LabelArray, base: number): Map<number, Uint32Array> {
  const counts = new Map<number, number>();
  for (let p = 0; p < pixels.length; p++) {
    const v = pixels[p]!;
    if (v !== 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const offsets = new Map<number, Uint32Array>();
  const filled = new Map<number, number>();
  for (const [v, count] of counts) {
    offsets.set(v, new Uint32Array(count));
    filled.set(v, 0);
  }
  for (let p = 0; p < pixels.length; p++) {
    const v = pixels[p]!;
    if (v === 0) continue;
    const n = filled.get(v)!;
    offsets.get(v)![n] = base + p;
    filled.set(v, n + 1);
  }
  return offsets;
}

/** Bytes a voxel of one layer takes while the layers are built (16-bit when any SegmentNumber is over 255). */
function layerElementBytes(seg: ParsedSeg): 1 | 2 {
  return seg.segments.some((s) => s.number > 255) ? 2 : 1;
}

function buildLayers(seg: ParsedSeg, volume: VolumeGrid, voxelLists: readonly Uint32Array[][], name: string): SegLayers {
  const elementBytes = layerElementBytes(seg);
  assertSegLayersFit({ voxelLists, dimensions: volume.dimensions, elementBytes, name });
  const voxelCount = volume.dimensions[0] * volume.dimensions[1] * volume.dimensions[2];
  const wide = elementBytes === 2;
  const layers: LabelArray[] = [];
  const layerMax: number[] = [];
  const segments: SegSegment[] = seg.segments.map((s, n) => {
    const runs = voxelLists[n]!;
    let layer = layers.findIndex((labels) => runs.every((run) => run.every((v) => labels[v] === 0)));
    if (layer < 0) {
      // Placing segments in order can take more layers than most segments share a voxel: checked layer by layer.
      if ((layers.length + 1) * voxelCount * elementBytes > labelLayerLimits.bytes || layers.length + 1 > labelLayerLimits.layers) {
        throw tooManySegLayers(name, `segment ${s.number} fits in none of the first ${layers.length} layers`, layers.length + 1, voxelCount * elementBytes);
      }
      layer = layers.push(wide ? new Uint16Array(voxelCount) : new Uint8Array(voxelCount)) - 1;
      layerMax.push(0);
    }
    const labels = layers[layer]!;
    for (const run of runs) for (const v of run) labels[v] = s.number;
    layerMax[layer] = Math.max(layerMax[layer]!, s.number);
    const { number, ...description } = s;
    return { ...description, layer, value: number };
  });
  if (layers.length === 0) layers.push(new Uint8Array(voxelCount));
  return { layers: layers.map((labels, l) => (labels instanceof Uint16Array && layerMax[l]! <= 255 ? Uint8Array.from(labels) : labels)), segments };
}
