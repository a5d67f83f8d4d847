import type { Measurement } from '../../core/contract.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';
import type { VolumeGeometry } from '../../core/geometry/types.js';
import { geometricValues } from './measurementValues.js';
import { roiStatistics } from './roiStatistics.js';

/** What measuring needs of the loaded volume: its grid and its real (rescaled) values. */
export interface MeasuredVolume {
  readonly geometry: VolumeGeometry;
  readonly voxels: NumericArray;
}

/**
 * A measurement's values worked out again from its world points: length,
 * angle, or area and perimeter, plus the voxel statistics of an ellipse or
 * freehand ROI. Non-finite values are left out.
 * @throws RangeError when its plane or shape is degenerate.
 */
export function measureShape(m: Pick<Measurement, 'kind' | 'points' | 'plane'>, volume: MeasuredVolume): Measurement['values'] {
  const values: Record<string, unknown> = { ...geometricValues(m) };
  for (const key of Object.keys(values)) if (!Number.isFinite(values[key])) delete values[key];
  if (m.kind === 'ellipse' || m.kind === 'freehand') values.stats = roiStatistics(volume.geometry, volume.voxels, m);
  return values as Measurement['values'];
}

/**
 * The sidecar's measurements with their values recomputed on this volume;
 * any that cannot be measured (a degenerate plane, e.g. a hand-edited file)
 * are left out and named in `dropped`.
 */
export function remeasureAll(items: readonly Measurement[], volume: MeasuredVolume): { items: Measurement[]; dropped: string[] } {
  const kept: Measurement[] = [];
  const dropped: string[] = [];
  for (const m of items) {
    try {
      kept.push({ ...m, values: measureShape(m, volume) });
    } catch {
      dropped.push(m.name);
    }
  }
  return { items: kept, dropped };
}
