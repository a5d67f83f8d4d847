import { AxialError } from '../../errors/AxialError.js';

/** A finer grid than 4× the scan's on every axis is no model's intent; below 2^28 values (1 GiB of float32) any grid is allowed. */
const growthLimit = 64;
const floorValues = 2 ** 28;

/**
 * Refuses a preprocessing grid of more than 64 times the scan's voxels (4× finer
 * on every axis) when it also holds more than 2^28 values (1 GiB as float32).
 * A mistaken or hostile bundle setting (a Spacingd pixdim of 0.01 mm, a
 * ResizeWithPadOrCropd spatial_size of 5000³) would otherwise have the inference
 * process resample for minutes into gigabytes before anything failed; a real
 * model's grid (1.5 mm for a 0.7 mm CT, 1 mm for a 5 mm MR) stays far below.
 * @param what - names the step and its setting, e.g. `Spacingd (pixdim 0.01×0.01×0.01 mm)`.
 * @param modelPath - the model whose setting it is, named in front of the message.
 * @throws AxialError VOLUME_TOO_LARGE naming the step, both grids and the bound.
 */
export function assertWithinGridBudget(what: string, grid: readonly number[], source: readonly number[], modelPath?: string): void {
  const values = grid.reduce((product, n) => product * n, 1);
  const sourceValues = source.reduce((product, n) => product * n, 1);
  if (values <= Math.max(growthLimit * sourceValues, floorValues)) return;
  throw new AxialError(
    'VOLUME_TOO_LARGE',
    `${what} would make a ${grid.join('×')} grid from this ${source.join('×')} scan ` +
      `(${(values / sourceValues).toPrecision(3)} times its voxels, ${((values * 4) / 2 ** 30).toFixed(1)} GiB as float32); ` +
      `Axial refuses grids over ${growthLimit} times the scan's voxels once they pass 1 GiB`,
    { file: modelPath },
  );
}
