import type { Measurement } from '../../core/contract.js';

/** A number as the list shows it: `digits` decimals, no "-0". */
export function formatNumber(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** The headline value of a measurement: "41.2 mm", "37.5°" or "153.9 mm²". */
export function headlineOf(m: Pick<Measurement, 'kind' | 'values'>): string {
  const v = m.values;
  if (m.kind === 'line') return v.lengthMm === undefined ? '—' : `${formatNumber(v.lengthMm, 1)} mm`;
  if (m.kind === 'angle') return v.angleDeg === undefined ? '—' : `${formatNumber(v.angleDeg, 1)}°`;
  return v.areaMm2 === undefined ? '—' : `${formatNumber(v.areaMm2, 1)} mm²`;
}

/** An ROI's statistics in one line: "mean 55.3 ± 12.5 HU, min 3, max 98, 316 voxels"; '' for a line or an angle. */
export function statsLineOf(m: Pick<Measurement, 'values'>, units: string | null): string {
  const s = m.values.stats;
  if (!s) return '';
  if (s.voxels === 0 || s.mean === null || s.sd === null) return 'no voxels';
  const unit = units ? ` ${units}` : '';
  return (
    `mean ${formatNumber(s.mean, 1)} ± ${formatNumber(s.sd, 1)}${unit}, ` + `min ${formatNumber(s.min!, 1)}, max ${formatNumber(s.max!, 1)}, ${s.voxels} voxels`
  );
}
