import type { SegmentInfo } from '../../core/contract.js';

export interface StatisticsSource {
  /** The scan's name (series description or file name). */
  readonly scan: string;
  /** Unit of the scan's values ('HU' for CT), or null. */
  readonly units: string | null;
}

const columns = ['segment', 'name', 'layer', 'label', 'voxels', 'volume_ml', 'mean', 'sd', 'min', 'max', 'units'] as const;

/** The segments' statistics as CSV (RFC 4180, one row per segment, full double precision). */
export function statisticsCsv(segments: readonly SegmentInfo[], source: StatisticsSource): string {
  const rows = segments.map((s, n) =>
    [n + 1, s.name, s.layer, s.value, s.voxels, s.volumeMl, s.mean, s.sd, s.min, s.max, source.units ?? ''].map(csvField).join(','),
  );
  return `${[columns.join(','), ...rows].join('\r\n')}\r\n`;
}

/** The same as JSON, with the scan's name and units. */
export function statisticsJson(segments: readonly SegmentInfo[], source: StatisticsSource): string {
  const rows = segments.map((s, n) => ({
    segment: n + 1,
    name: s.name,
    layer: s.layer,
    label: s.value,
    algorithmType: s.algorithmType,
    ...(s.algorithmName ? { algorithmName: s.algorithmName } : {}),
    voxels: s.voxels,
    volumeMl: s.volumeMl,
    mean: s.mean,
    sd: s.sd,
    min: s.min,
    max: s.max,
  }));
  return `${JSON.stringify({ scan: source.scan, units: source.units, sd: 'population (ddof 0)', segments: rows }, null, 2)}\n`;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
