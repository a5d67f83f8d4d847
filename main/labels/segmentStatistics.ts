import type { SegmentDef, SegmentInfo } from '../../core/contract.js';
import type { Volume } from '../volume/Volume.js';
import { voxelMillilitres } from '../volume/voxelMillilitres.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { createLabelTally, type LabelTally } from './createLabelTally.js';

/**
 * Every segment's voxel count, volume (mL) and the mean, population SD
 * (numpy's default), min and max of the scan's values in it. From `tally`
 * where one is kept beside the layers (a mask being edited), otherwise one
 * pass over each label layer a segment is on.
 */
export function segmentStatistics(
  volume: Pick<Volume, 'voxels' | 'spacing' | 'direction'>,
  layers: readonly LabelArray[],
  segments: readonly SegmentDef[],
  tally: LabelTally = createLabelTally(volume.voxels),
): SegmentInfo[] {
  const millilitres = voxelMillilitres(volume);
  return segments.map((segment) => {
    const sums = tally.sumsOf(layers, segment.layer).get(segment.value);
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
