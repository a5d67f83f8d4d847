import type { ScannedSeries } from '../input/scanInput.js';
import type { Volume } from '../volume/Volume.js';
import { orientationCode, volumeToRasAffine } from '../volume/volumeTransforms.js';
import { valueRange } from '../volume/valueRange.js';
import { terminalText } from './terminalText.js';

/** One entry of `axial info --json`'s `series` array. */
export interface SeriesDescription {
  readonly index: number;
  readonly uid: string;
  readonly description: string;
  readonly modality: string;
  readonly format: 'dicom' | 'nifti' | 'nrrd';
  readonly dimensions: [number, number, number];
  readonly spacing: [number, number, number];
  readonly affineRas: number[][];
  readonly orientation: string;
  readonly dataType: string;
  readonly range: [number, number];
  readonly units: string | null;
  readonly files: number;
  /** Volumes along time: 1 for a 3D series; dimensions and range are then time point 0's. */
  readonly timePoints: number;
  /** RepetitionTime in seconds of a 4D series, when the files give it. */
  readonly repetitionTime?: number;
  readonly warnings: string[];
}

/** Summarises a loaded series for `axial info`. */
export function describeSeries(series: ScannedSeries, volume: Volume, warnings: readonly string[]): SeriesDescription {
  const round = (x: number): number => Math.round(x * 1e6) / 1e6 + 0;
  return {
    index: series.index,
    uid: series.uid,
    description: series.description,
    modality: series.modality || volume.metadata.modality || '',
    format: series.format,
    dimensions: [...volume.dimensions],
    spacing: volume.spacing.map(round) as [number, number, number],
    affineRas: volumeToRasAffine(volume).map((row) => row.map(round)),
    orientation: orientationCode(volume),
    dataType: volume.dataType,
    range: valueRange(volume),
    units: volume.metadata.units ?? null,
    files: series.files.length,
    timePoints: series.timePoints ?? 1,
    ...(series.repetitionTime !== undefined && { repetitionTime: series.repetitionTime }),
    warnings: [...warnings],
  };
}

/** " × 40 time points (TR 2 s)" for a 4D series, nothing for a 3D one. */
function timeText(d: SeriesDescription): string {
  if (d.timePoints <= 1) return '';
  return ` × ${d.timePoints} time points${d.repetitionTime ? ` (TR ${d.repetitionTime} s)` : ''}`;
}

/** The human-readable block `axial info` prints for one series; every string read from the file is made one safe line. */
export function formatSeriesDescription(d: SeriesDescription, total: number): string {
  const line = (text: string): string => terminalText(text, { singleLine: true });
  const fixed = (values: readonly number[], digits: number): string => values.map((v) => v.toFixed(digits)).join(' × ');
  const lines = [
    `Series ${d.index} of ${total}: ${line(d.description) || '(no description)'}${d.modality ? ` [${line(d.modality)}]` : ''}`,
    `  uid          ${line(d.uid) || '(none)'}`,
    `  format       ${d.format}, ${d.files} file${d.files === 1 ? '' : 's'}`,
    `  dimensions   ${d.dimensions.join(' × ')}${timeText(d)}`,
    `  spacing      ${fixed(d.spacing, 4)} mm`,
    `  orientation  ${d.orientation}`,
    `  data type    ${d.dataType}, values ${d.range[0]} to ${d.range[1]}${d.units ? ` ${line(d.units)}` : ''}`,
    `  RAS affine   ${d.affineRas
      .slice(0, 3)
      .map((row) => `[${row.map((v) => v.toFixed(4)).join(', ')}]`)
      .join('\n               ')}`,
  ];
  for (const w of d.warnings) lines.push(`  warning      ${line(w)}`);
  return lines.join('\n');
}
