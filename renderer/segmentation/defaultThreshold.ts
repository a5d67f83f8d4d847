import type { LoadedVolume } from '../data/LoadedVolume.js';
import { isCt, percentileWindow } from '../display/windowPresets.js';

/** The brush's value range when a volume opens (the threshold itself starts off). */
export interface ThresholdRange {
  readonly min: number;
  readonly max: number;
}

/** Soft tissue and contrast-filled vessels, without fat (below −100 HU) or bone (above 300 HU). */
const ctRange: ThresholdRange = { min: -100, max: 300 };

/**
 * The threshold brush's default range for a volume. CT (or a NIfTI in HU): −100…300 HU. Others, whose
 * values have no fixed meaning: from the 25th to the 99.5th percentile of the non-zero voxels (the
 * tissue brighter than its darkest quarter), rounded to what a reader types (whole numbers when the
 * range spans 100 or more, then a decimal more per tenfold narrower). The unit shown beside it is the
 * header's (null for MR): never "HU" on MR.
 */
export function defaultThreshold(volume: LoadedVolume): ThresholdRange {
  const { header, voxels } = volume;
  if (isCt(header.modality, header.units)) return ctRange;
  const w = percentileWindow(voxels, header.range, 0.25, 0.995, { forDisplay: false });
  const low = w.center - w.width / 2;
  const high = w.center + w.width / 2;
  const span = high - low;
  const decimals = span > 0 ? Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(span)))) : 0;
  const factor = 10 ** decimals;
  return { min: Math.round(low * factor) / factor, max: Math.round(high * factor) / factor };
}
