import type { Measurement } from '../../core/contract.js';
import { formatStat, statDecimals } from '../app/formatSegmentStats.js';
import { plural } from '../display/plural.js';
import type { RoiScope } from './roiScopeOf.js';

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

/** How an ROI's statistics are written: the scan's units, its value range (their decimals follow it) and what they count. */
export interface RoiFormat {
  readonly units: string | null;
  /**
   * The volume's value range: min and max get the segment table's decimals (statDecimals: whole HU on a CT, 0.0001 on
   * an ADC map), the mean and SD, averages of many voxels, one more (at most 4).
   */
  readonly range: readonly [number, number];
  readonly scope: RoiScope;
}

/** What the voxel count says it counts, where that is not what the view shows. */
const countedOn: Record<RoiScope, string> = { shown: '', centreSlice: ' of the centre slice', plane: ' on the plane', centrePlane: ' on the centre plane' };
/** The same, short, for the label on the image. */
const labelNote: Record<RoiScope, string> = { shown: '', centreSlice: ', centre slice', plane: ', voxels on plane', centrePlane: ', centre plane' };

/**
 * An ROI's statistics in one line: "mean 55.3 ± 12.5 HU, min 3, max 98, 316 voxels" (on an ADC map
 * "mean 0.0012 ± 0.0002 mm2/s, …"), the count saying "of the centre slice" or "on the plane" under a slab or
 * on a turned plane; '' for a line or an angle.
 */
export function statsLineOf(m: Pick<Measurement, 'values'>, format: RoiFormat): string {
  const s = m.values.stats;
  if (!s) return '';
  if (s.voxels === 0 || s.mean === null || s.sd === null) return `no voxels${countedOn[format.scope]}`;
  const d = statDecimals(format.range);
  const unit = format.units ? ` ${format.units}` : '';
  const voxels = `${plural(s.voxels, 'voxel')}${countedOn[format.scope]}`;
  return `mean ${meanAndSd(s.mean, s.sd, format.range)}${unit}, min ${formatStat(s.min!, d)}, max ${formatStat(s.max!, d)}, ${voxels}`;
}

/** The ROI's part of its label on the image: " (55.3 ± 12.5)", " (55.3 ± 12.5, centre slice)"; '' for a line, an angle or an empty ROI. */
export function roiLabelOf(m: Pick<Measurement, 'values'>, format: Pick<RoiFormat, 'range' | 'scope'>): string {
  const s = m.values.stats;
  if (!s || s.mean === null || s.sd === null) return '';
  return ` (${meanAndSd(s.mean, s.sd, format.range)}${labelNote[format.scope]})`;
}

function meanAndSd(mean: number, sd: number, range: readonly [number, number]): string {
  const d = Math.min(4, statDecimals(range) + 1);
  return `${formatStat(mean, d)} ± ${formatStat(sd, d)}`;
}
