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
  const deepest = deepestOverlap(voxelLists, ni * nj);
  if (deepest > most) throw tooManySegLayers(name, `${deepest} of its segments share a voxel`, deepest, layerBytes);
}

/**
 * The most segments that hold one voxel, counted a slice at a time (each run of voxels is one frame's,
 * on one slice), so that it takes a few bytes a pixel of one slice, not of the volume. A segment with
 * two frames on one slice counts once there.
 */
function deepestOverlap(voxelLists: readonly Uint32Array[][], sliceSize: number): number {
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
  const countedFor = new Uint32Array(sliceSize);
  let deepest = 0;
  for (const [k, segments] of bySlice) {
    depth.fill(0);
    countedFor.fill(0);
    const base = k * sliceSize;
    segments.forEach((runs, n) => {
      for (const run of runs) {
        for (const v of run) {
          const p = v - base;
          if (countedFor[p] === n + 1) continue;
          countedFor[p] = n + 1;
          deepest = Math.max(deepest, ++depth[p]!);
        }
      }
    });
  }
  return deepest;
}

/** The error for segments that would need `layers` label layers of `layerBytes` each, `why` saying what needs them. */
export function tooManySegLayers(name: string, why: string, layers: number, layerBytes: number): AxialError {
  const size = (bytes: number): string =>
    bytes >= 1024 ** 3 ? `${+(bytes / 1024 ** 3).toFixed(1)} GiB` : bytes >= 1024 ** 2 ? `${+(bytes / 1024 ** 2).toFixed(1)} MiB` : `${bytes} bytes`;
  return new AxialError(
    'SEG_UNSUPPORTED',
    `its segments overlap: ${why}, so they would need ${layers} label layers of ${size(layerBytes)} each; ` +
      `Axial opens at most ${labelLayerLimits.layers} layers, in ${size(labelLayerLimits.bytes)}`,
    { file: name },
  );
}
