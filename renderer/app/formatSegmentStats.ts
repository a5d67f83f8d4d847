/**
 * How the segment table writes its figures: a volume in mL to one decimal
 * (small ones as "<0.1", not a misleading 0.0), and the scan's values inside
 * a segment (mean, SD, min, max) to about a thousandth of the scan's own
 * range: whole HU for a CT, whole units for an MR in the thousands, 0.01
 * for a map normalised to 0…1. Main's full-precision figures
 * stay on the row's data attributes and in the CSV/JSON export.
 */

/** A volume in mL for the table: one decimal; "<0.1" for a non-empty segment under 0.05 mL. */
export function formatMl(ml: number): string {
  if (ml > 0 && ml < 0.05) return '<0.1';
  return ml.toFixed(1);
}

/** Decimals that resolve about a thousandth of a value range [min, max]: 0 for spans of 100 or more, 1 under 100, 2 under 10 … at most 4. */
export function statDecimals(range: readonly [number, number]): number {
  const span = Math.abs(range[1] - range[0]);
  if (!Number.isFinite(span) || span === 0) return 2;
  return Math.min(4, Math.max(0, 2 - Math.floor(Math.log10(span))));
}

/** A scan value with `decimals` decimals, without "-0". */
export function formatStat(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}

/** A voxel count with thousands separated: 130,634. */
export function formatVoxels(voxels: number): string {
  return voxels.toLocaleString('en-US');
}
