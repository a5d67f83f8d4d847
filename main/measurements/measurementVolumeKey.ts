import { createHash } from 'node:crypto';
import type { ScannedSeries } from '../input/scanInput.js';
import type { Volume } from '../volume/Volume.js';

/**
 * Which volume of a series, and whose, as 12 hex digits: a hash of the patient's ID and name, the echo (the files'
 * EchoNumbers, the same whether or not the scan holds the other echoes), and the volume's grid (matrix, spacing,
 * axes, origin, to 1 µm and 1e-6). One SeriesInstanceUID may hold several volumes
 * (a localiser's three planes, a series' echoes) and, after an anonymiser that kept the UIDs, several patients:
 * a measurement belongs to the volume it was drawn on. The time points of a 4D series share a grid, and their list.
 */
export function measurementVolumeKey(volume: Volume, series: Pick<ScannedSeries, 'echoNumber'>): string {
  const { metadata } = volume;
  const fixed = (values: readonly number[], digits: number): string[] => values.map((v) => v.toFixed(digits));
  const identity = [
    metadata.patientId ?? '',
    metadata.patientName ?? '',
    series.echoNumber ?? '',
    volume.dimensions.join('x'),
    fixed(volume.spacing, 6),
    volume.direction.map((axis) => fixed(axis, 6)),
    fixed(volume.origin, 3),
  ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
}
