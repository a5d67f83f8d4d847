import type { Vec3 } from '../../core/geometry/types.js';

/** The voxels the 3D view draws: from `first` to `last` (inclusive) along each index axis. */
export interface ClipRange {
  readonly first: Vec3;
  readonly last: Vec3;
}

/** A box in continuous index space (voxel centres at integers): the clip planes. */
export interface ClipBox {
  readonly lo: Vec3;
  readonly hi: Vec3;
}

/** The whole volume. */
export function fullClipRange(dimensions: Vec3): ClipRange {
  return { first: [0, 0, 0], last: [dimensions[0] - 1, dimensions[1] - 1, dimensions[2] - 1] };
}

/**
 * A range made valid for a volume: whole voxel indices within the volume,
 * at least one voxel thick. When `moved` names the end the user dragged
 * (axis and 'first' or 'last'), a crossing pushes the other end along
 * rather than letting the moved one jump back.
 */
export function clampClipRange(range: ClipRange, dimensions: Vec3, moved?: { axis: 0 | 1 | 2; end: 'first' | 'last' }): ClipRange {
  const first = [0, 0, 0];
  const last = [0, 0, 0];
  for (let axis = 0; axis < 3; axis++) {
    const top = dimensions[axis]! - 1;
    const clamp = (v: number): number => Math.min(top, Math.max(0, Math.round(Number.isFinite(v) ? v : 0)));
    let f = clamp(range.first[axis]!);
    let l = clamp(range.last[axis]!);
    if (f > l) {
      if (moved?.axis === axis && moved.end === 'last') f = l;
      else l = f;
    }
    first[axis] = f;
    last[axis] = l;
  }
  return { first: first as unknown as Vec3, last: last as unknown as Vec3 };
}

/** The clip planes of a range: half a voxel outside its first and last voxel centres. */
export function clipBoxOf(range: ClipRange): ClipBox {
  return {
    lo: [range.first[0] - 0.5, range.first[1] - 0.5, range.first[2] - 0.5],
    hi: [range.last[0] + 0.5, range.last[1] + 0.5, range.last[2] + 0.5],
  };
}

/** Whether a range is the whole volume. */
export function isFullRange(range: ClipRange, dimensions: Vec3): boolean {
  return [0, 1, 2].every((a) => range.first[a] === 0 && range.last[a] === dimensions[a]! - 1);
}
