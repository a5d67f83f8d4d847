import type { SegmentDef, SegmentInfo } from '../../core/contract.js';
import type { Volume } from '../volume/Volume.js';
import { voxelMillilitres } from '../volume/voxelMillilitres.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

interface Sums {
  count: number;
  /** Sums of (v − shift) and its square: shifting by a value of the segment keeps the variance exact in doubles. */
  sum: number;
  sumSq: number;
  shift: number;
  min: number;
  max: number;
}

/**
 * Every segment's voxel count, volume (mL) and the mean, population SD
 * (numpy's default), min and max of the scan's values in it: one pass over
 * each label layer.
 */
export function segmentStatistics(
  volume: Pick<Volume, 'voxels' | 'spacing' | 'direction'>,
  layers: readonly LabelArray[],
  segments: readonly SegmentDef[],
): SegmentInfo[] {
  const millilitres = voxelMillilitres(volume);
  const sumsByLayer = layers.map((labels, layer) => (segments.some((s) => s.layer === layer) ? accumulate(labels, volume.voxels) : new Map<number, Sums>()));
  return segments.map((segment) => {
    const sums = sumsByLayer[segment.layer]?.get(segment.value);
    if (!sums) return { ...segment, voxels: 0, volumeMl: 0, mean: null, sd: null, min: null, max: null };
    const mean = sums.sum / sums.count;
    const variance = Math.max(0, sums.sumSq / sums.count - mean * mean);
    return {
      ...segment,
      voxels: sums.count,
      volumeMl: sums.count * millilitres,
      mean: mean + sums.shift,
      sd: Math.sqrt(variance),
      min: sums.min,
      max: sums.max,
    };
  });
}

function accumulate(labels: LabelArray, values: ArrayLike<number>): Map<number, Sums> {
  const byValue = new Map<number, Sums>();
  let value = -1;
  let sums: Sums | undefined;
  for (let n = 0; n < labels.length; n++) {
    const label = labels[n]!;
    if (label === 0) continue;
    if (label !== value) {
      value = label;
      sums = byValue.get(label);
      if (!sums) {
        const v = values[n]!;
        sums = { count: 0, sum: 0, sumSq: 0, shift: v, min: v, max: v };
        byValue.set(label, sums);
      }
    }
    const v = values[n]!;
    const d = v - sums!.shift;
    sums!.count++;
    sums!.sum += d;
    sums!.sumSq += d * d;
    if (v < sums!.min) sums!.min = v;
    else if (v > sums!.max) sums!.max = v;
  }
  return byValue;
}
