import type { TransferPoint } from './volumePresets.js';

/**
 * A transfer function sampled for one ray step: RGBA floats, entry n at
 * value lo + n·(hi − lo)/(size − 1), so the end points are exact; a value
 * takes its nearest entry, and values outside [lo, hi] the end entries.
 */
export interface TransferTable {
  /** size × 4 floats: colour 0–1, then the opacity of one ray step. */
  readonly rgba: Float32Array;
  readonly size: number;
  /** The values of the first and last entries. */
  readonly lo: number;
  readonly hi: number;
}

/**
 * Samples a piecewise-linear transfer function (colour and opacity per unit
 * of ray length, see opacityUnitMm, interpolated between control points,
 * held constant beyond the ends) into a table, and turns each opacity into
 * the opacity of one ray step of `step` units: 1 − (1 − α)^step, so a
 * longer step absorbs what the shorter steps it replaces would have.
 * @throws RangeError when the points are empty, out of order, size < 2 or step ≤ 0.
 */
export function transferTable(points: readonly TransferPoint[], step: number, size = 4096): TransferTable {
  if (points.length === 0) throw new RangeError('a transfer function needs at least one point');
  if (!(size >= 2)) throw new RangeError(`a transfer table needs at least 2 entries (got ${size})`);
  if (!(step > 0)) throw new RangeError(`the ray step must be positive (got ${step})`);
  for (let n = 1; n < points.length; n++) {
    if (points[n]!.value <= points[n - 1]!.value) throw new RangeError('transfer points must have strictly ascending values');
  }
  const lo = points[0]!.value;
  const hi = points.length > 1 ? points[points.length - 1]!.value : lo + 1;
  const rgba = new Float32Array(size * 4);
  let segment = 0;
  for (let n = 0; n < size; n++) {
    const value = lo + (n * (hi - lo)) / (size - 1);
    while (segment < points.length - 2 && value > points[segment + 1]!.value) segment++;
    const a = points[segment]!;
    const b = points[Math.min(segment + 1, points.length - 1)]!;
    const f = b.value > a.value ? Math.min(1, Math.max(0, (value - a.value) / (b.value - a.value))) : 0;
    for (let c = 0; c < 3; c++) rgba[n * 4 + c] = a.colour[c]! + f * (b.colour[c]! - a.colour[c]!);
    const perUnit = Math.min(1, Math.max(0, a.opacity + f * (b.opacity - a.opacity)));
    rgba[n * 4 + 3] = stepOpacity(perUnit, step);
  }
  return { rgba, size, lo, hi };
}

/** The opacity of a step of `step` units through material absorbing `perUnit` of the light per unit. */
export function stepOpacity(perUnit: number, step: number): number {
  return perUnit >= 1 ? 1 : 1 - Math.pow(1 - perUnit, step);
}
