import type { Measurement } from '../../core/contract.js';

export interface MeasurementCsvSource {
  /** Unit of the scan's values ('HU' for CT), or null. */
  readonly units: string | null;
}

const columns = [
  'measurement',
  'name',
  'kind',
  'view',
  'length_mm',
  'angle_deg',
  'area_mm2',
  'perimeter_mm',
  'voxels',
  'mean',
  'sd',
  'min',
  'max',
  'units',
  'points_lps_mm',
] as const;

/**
 * The measurements as CSV (RFC 4180, one row per measurement, full double
 * precision; SD is the population SD). Empty cells where a kind has no such
 * value. `points_lps_mm` lists the world points as "x y z" joined by ";".
 */
export function measurementsCsv(measurements: readonly Measurement[], source: MeasurementCsvSource): string {
  const rows = measurements.map((m, n) => {
    const { values } = m;
    const stats = values.stats;
    const points = m.points.map((p) => p.join(' ')).join(';');
    return [
      n + 1,
      textField(m.name),
      m.kind,
      textField(m.view),
      values.lengthMm,
      values.angleDeg,
      values.areaMm2,
      values.perimeterMm,
      stats?.voxels,
      stats?.mean,
      stats?.sd,
      stats?.min,
      stats?.max,
      stats ? textField(source.units ?? '') : '',
      points,
    ]
      .map(csvField)
      .join(',');
  });
  return `${[columns.join(','), ...rows].join('\r\n')}\r\n`;
}

/** A user's text, kept from being read as a formula by a spreadsheet (a leading = + - @ gets a quote mark). */
function textField(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
