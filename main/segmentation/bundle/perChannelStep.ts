import type { PreprocessingStep } from '../ModelSpec.js';

/**
 * An intensity step run on each channel key before they were stacked is that step per channel on the stacked
 * image (channel_wise); spatial steps move every channel alike either way.
 */
export function perChannelStep(step: PreprocessingStep): PreprocessingStep {
  if (step.kind === 'NormalizeIntensityd') return { ...step, channelWise: true };
  if (step.kind === 'ScaleIntensityd' || step.kind === 'ScaleIntensityRangePercentilesd') return { ...step, channelWise: true };
  return step;
}
