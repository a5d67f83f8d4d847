import { scanInput } from '../../../main/input/scanInput.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { forEachMappedVoxel, indexMapping } from '../../indexMapping.js';
import { sharedData } from '../../sharedData.js';

/** The real CT series (20 slices of 512², JPEG 2000 lossless, LPS). */
export const ctSeriesPath = sharedData('dicom/ct-abdomen-j2k');
/** TotalSegmentator's label map of that series (LAS, same voxel centres). */
export const totalsegLabelsPath = sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz');
/** TotalSegmentator's label value for the liver. */
export const liverLabel = 5;

/**
 * The first volume an input holds, read in Node by Axial's own readers:
 * the tests' independent copy of what the viewer shows.
 */
export async function loadFirstVolume(path: string): Promise<Volume> {
  const scan = await scanInput(path);
  const series = scan.series[0];
  if (!series) throw new Error(`no volume in ${path}`);
  return (await series.load()).volume;
}

/**
 * A NIfTI label map's values at `grid`'s voxels, i fastest; the two grids
 * must cover the same voxel centres in any axis order.
 * @throws Error when they do not.
 */
export async function labelsOnGrid(path: string, grid: Volume): Promise<Uint16Array> {
  const { volume: labels } = await readNifti(path);
  const map = indexMapping(grid, labels);
  if (map.cornerErrorMm > 1e-3) throw new Error(`${path} is not on the volume's grid (corners ${map.cornerErrorMm} mm apart)`);
  const out = new Uint16Array(grid.voxels.length);
  forEachMappedVoxel(grid, labels, map, (n, m) => {
    out[n] = labels.voxels[m]!;
  });
  return out;
}

/**
 * The voxel of slice k (index axis 2) holding `value` farthest (in voxels,
 * Chebyshev, up to `cap`) from any other label in its slice: a point well
 * inside the organ.
 * @throws Error when the slice holds no such voxel.
 */
export function deepestVoxel(grid: Pick<Volume, 'dimensions'>, labels: ArrayLike<number>, value: number, k: number, cap = 12): [number, number, number] {
  const [ni, nj] = grid.dimensions;
  const at = (i: number, j: number): number => (i < 0 || j < 0 || i >= ni || j >= nj ? -1 : labels[i + ni * (j + nj * k)]!);
  let best: [number, number, number] | null = null;
  let bestDepth = -1;
  for (let j = 0; j < nj; j++) {
    for (let i = 0; i < ni; i++) {
      if (at(i, j) !== value) continue;
      let depth = 0;
      while (depth < cap && ringHolds(at, i, j, depth + 1, value)) depth++;
      if (depth > bestDepth) {
        bestDepth = depth;
        best = [i, j, k];
      }
    }
  }
  if (!best) throw new Error(`slice ${k} holds no label ${value}`);
  return best;
}

function ringHolds(at: (i: number, j: number) => number, i: number, j: number, r: number, value: number): boolean {
  for (let d = -r; d <= r; d++) {
    if (at(i + d, j - r) !== value || at(i + d, j + r) !== value || at(i - r, j + d) !== value || at(i + r, j + d) !== value) return false;
  }
  return true;
}

/** The slice (index axis 2) holding the most voxels of `value`. */
export function sliceWithMost(grid: Pick<Volume, 'dimensions'>, labels: ArrayLike<number>, value: number): number {
  const [ni, nj, nk] = grid.dimensions;
  const counts = new Array<number>(nk).fill(0);
  for (let n = 0; n < labels.length; n++) if (labels[n] === value) counts[Math.floor(n / (ni * nj))]!++;
  return counts.indexOf(Math.max(...counts));
}
