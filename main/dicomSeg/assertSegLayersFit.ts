import type { Vec3 } from '../../core/geometry/types.js';
import { AxialError } from '../errors/AxialError.js';
import { labelLayerLimits } from '../../core/labels/labelLayerLimits.js';

export interface SegLayersFitParams {
  /** Per segment, the volume indices of its voxels in runs, one run per frame (so on one slice). */
  readonly voxelLists: readonly Uint32Array[][];
  readonly dimensions: Vec3;
  /** Bytes a voxel of one layer takes. */
  readonly elementBytes: 1 | 2;
  /** Names the SEG in the error. */
  readonly name: string;
}

/**
 * Refuses, before any layer is allocated, a SEG whose segments overlap so much that they cannot fit
 * in {@link labelLayerLimits}: as many segments as share one voxel need a layer each (a small file of
 * hundreds of segments on one voxel would otherwise make hundreds of whole-volume layers). Skipped
 * when even one layer per segment would fit.
 * @throws AxialError SEG_UNSUPPORTED naming the SEG, how many segments share a voxel and the limits.
 */
export function assertSegLayersFit(params: SegLayersFitParams): void {
  const { voxelLists, dimensions, elementBytes, name } = params;
  const [ni, nj, nk] = dimensions;
  const layerBytes = ni * nj * nk * elementBytes;
  const most = Math.min(labelLayerLimits.layers, Math.floor(labelLayerLimits.bytes / layerBytes));
  if (voxelLists.length <= most) return;
  const deepest = deepestOverlap(voxelLists, ni * nj, most);
  if (deepest > most) throw tooManySegLayers(name, `at least ${deepest} of its segments share a voxel`, deepest, layerBytes, 'at least ');
}

/**
 * The most segments that hold one voxel, counted a slice at a time (each run of voxels is one frame's,
 * on one slice), so that it takes a few bytes a pixel of one slice, not of the volume. A segment with
 * two frames on one slice counts once there. Stops once the depth passes `limit` (the SEG is refused
 * then, whatever the rest holds), returning limit + 1.
 */
function deepestOverlap(voxelLists: readonly Uint32Array[][], sliceSize: number, limit: number): number {
  const bySlice = new Map<number, Uint32Array[][]>();
  for (const runs of voxelLists) {
    const mine = new Map<number, Uint32Array[]>();
    for (const run of runs) {
      if (run.length === 0) continue;
      const k = Math.floor(run[0]! / sliceSize);
      const list = mine.get(k);
      if (list) list.push(run);
      else mine.set(k, [run]);
    }
    for (const [k, list] of mine) {
      const segments = bySlice.get(k);
      if (segments) segments.push(list);
      else bySlice.set(k, [list]);
    }
  }
  const depth = new Uint16Array(sliceSize);
  // Marks instead of clearing both arrays for each slice (two fills of a slice each, 600 slices of 512×512 took longer
  // than the voxels): a pixel's depth counts only when its slice mark is the current slice's, and a segment is counted
  // once on a pixel whose segment mark is its own. Each (slice, segment) gets a mark of its own.
  const sliceMark = new Uint32Array(sliceSize);
  const segmentMark = new Uint32Array(sliceSize);
  let slice = 0;
  let segment = 0;
  let deepest = 0;
  for (const [k, segments] of bySlice) {
    slice++;
    const base = k * sliceSize;
    for (const runs of segments) {
      segment++;
      for (const run of runs) {
        for (let i = 0; i < run.length; i++) {
          const p = run[i]! - base;
          if (segmentMark[p] === segment) continue;
          segmentMark[p] = segment;
          const d = sliceMark[p] === slice ? depth[p]! + 1 : 1;
          sliceMark[p] = slice;
          depth[p] = d;
          if (d > deepest) {
            deepest = d;
            if (deepest > limit) return deepest;
          }
        }
      }
    }
  }
  return deepest;
}

/**
 * The error for segments that would need `layers` label layers of `layerBytes` each, `why` saying what needs them;
 * `atLeast` ('at least ') where counting stopped at the first number past the limit.
 */
export function tooManySegLayers(name: string, why: string, layers: number, layerBytes: number, atLeast = ''): AxialError {
  const size = (bytes: number): string =>
    bytes >= 1024 ** 3 ? `${+(bytes / 1024 ** 3).toFixed(1)} GiB` : bytes >= 1024 ** 2 ? `${+(bytes / 1024 ** 2).toFixed(1)} MiB` : `${bytes} bytes`;
  return new AxialError(
    'SEG_UNSUPPORTED',
    `its segments overlap: ${why}, so they would need ${atLeast}${layers} label layers of ${size(layerBytes)} each; ` +
      `Axial opens at most ${labelLayerLimits.layers} layers, in ${size(labelLayerLimits.bytes)}`,
    { file: name },
  );
}
