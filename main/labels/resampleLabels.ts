import { AxialError } from '../errors/AxialError.js';
import type { Volume } from '../volume/Volume.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { indexToWorld, worldToIndex } from '../../core/geometry/indexToWorld.js';
import { subtract } from '../../core/geometry/vec3.js';

export type Grid = Pick<Volume, 'dimensions' | 'spacing' | 'origin' | 'direction'>;

/** How a label map's grid relates to the volume's. */
export type GridRelation =
  /** Same dimensions and voxel centres (within the tolerance): used as it is. */
  | 'same'
  /** The same voxel centres in another axis order or direction: copied exactly, reordered. */
  | 'reordered'
  /** Another grid: nearest-neighbour resampled. */
  | 'resampled';

export interface ResampledLabels {
  readonly labels: LabelArray;
  readonly relation: GridRelation;
  /** Fraction of the volume's voxels whose centre lies in the label map's grid. */
  readonly coverage: number;
}

/** Largest distance (mm) between corresponding voxel centres for two grids to count as the same. */
export const sameGridToleranceMm = 1e-3;

/**
 * True when both grids have the same dimensions and every voxel centre lies
 * within `toleranceMm` of its counterpart. The index→world map is affine, so
 * the largest distance is at one of the eight corners.
 */
export function isSameGrid(a: Grid, b: Grid, toleranceMm = sameGridToleranceMm): boolean {
  if (a.dimensions.some((n, axis) => n !== b.dimensions[axis])) return false;
  return corners(a.dimensions).every((corner) => {
    const p = indexToWorld(a, corner);
    const q = indexToWorld(b, corner);
    return Math.hypot(...subtract(p, q)) <= toleranceMm;
  });
}

/**
 * Puts a label map on the target grid: as it is when the grids are the same,
 * otherwise nearest-neighbour (per target voxel: world position → label map
 * index → rounded), with 0 outside the label map.
 * @param source.file The file the labels were read from, named in the error.
 * @throws AxialError MASK_GRID_MISMATCH when no target voxel centre lies in the label map's grid.
 */
export function resampleLabels(source: { grid: Grid; labels: LabelArray; file?: string }, target: Grid): ResampledLabels {
  if (isSameGrid(source.grid, target)) return { labels: source.labels, relation: 'same', coverage: 1 };
  const { a, b } = indexMap(source.grid, target);
  const [ni, nj, nk] = target.dimensions;
  const [si, sj, sk] = source.grid.dimensions;
  const input = source.labels;
  const output = input instanceof Uint16Array ? new Uint16Array(ni * nj * nk) : new Uint8Array(ni * nj * nk);
  let inside = 0;
  let n = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      let x = b[0] + a[1][0] * j + a[2][0] * k;
      let y = b[1] + a[1][1] * j + a[2][1] * k;
      let z = b[2] + a[1][2] * j + a[2][2] * k;
      for (let i = 0; i < ni; i++, n++, x += a[0][0], y += a[0][1], z += a[0][2]) {
        const p = Math.floor(x + 0.5);
        const q = Math.floor(y + 0.5);
        const r = Math.floor(z + 0.5);
        if (p < 0 || q < 0 || r < 0 || p >= si || q >= sj || r >= sk) continue;
        output[n] = input[p + si * (q + sj * r)]!;
        inside++;
      }
    }
  }
  if (inside === 0) throw new AxialError('MASK_GRID_MISMATCH', noOverlapMessage(source.grid, target), { file: source.file });
  return { labels: output, relation: isAxisReordering(a, b) ? 'reordered' : 'resampled', coverage: inside / output.length };
}

/**
 * The affine from a target index to a source index: column `a[axis]` is the
 * source-index step of one target step along `axis`; `b` is where target
 * voxel (0, 0, 0) falls.
 */
function indexMap(source: Grid, target: Grid): { a: [Vec3, Vec3, Vec3]; b: Vec3 } {
  const b = worldToIndex(source, target.origin);
  const step = (axis: number): Vec3 => {
    const unit: [number, number, number] = [0, 0, 0];
    unit[axis] = 1;
    const p = worldToIndex(source, indexToWorld(target, unit));
    return subtract(p, b);
  };
  return { a: [step(0), step(1), step(2)], b };
}

/** True when the map only permutes and flips axes, with a whole-voxel offset: every label lands exactly. */
function isAxisReordering(a: readonly Vec3[], b: Vec3): boolean {
  const whole = (x: number, tolerance: number): boolean => Math.abs(x - Math.round(x)) <= tolerance;
  const unitColumns = a.every((column) => {
    const sizes = column.map(Math.abs).sort((x, y) => x - y);
    return sizes[0]! <= 1e-6 && sizes[1]! <= 1e-6 && Math.abs(sizes[2]! - 1) <= 1e-6;
  });
  return unitColumns && b.every((x) => whole(x, 1e-3));
}

function corners(dimensions: Vec3): Vec3[] {
  const out: Vec3[] = [];
  for (const i of [0, dimensions[0] - 1]) {
    for (const j of [0, dimensions[1] - 1]) {
      for (const k of [0, dimensions[2] - 1]) out.push([i, j, k]);
    }
  }
  return out;
}

function noOverlapMessage(source: Grid, target: Grid): string {
  const centre = (g: Grid): Vec3 => indexToWorld(g, [(g.dimensions[0] - 1) / 2, (g.dimensions[1] - 1) / 2, (g.dimensions[2] - 1) / 2]);
  const p = centre(source);
  const q = centre(target);
  const apart = Math.hypot(...subtract(p, q));
  const describe = (g: Grid): string => `${g.dimensions.join('×')} at ${g.spacing.map((s) => +s.toFixed(3)).join('×')} mm`;
  return (
    `the label map does not overlap the volume: no voxel of the volume lies inside its grid ` +
    `(their centres are ${apart.toFixed(1)} mm apart; label map ${describe(source)}, volume ${describe(target)})`
  );
}
