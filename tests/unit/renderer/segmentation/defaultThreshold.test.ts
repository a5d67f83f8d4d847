import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { defaultThreshold } from '../../../../renderer/segmentation/defaultThreshold.js';
import { ctTestVolume } from '../ctTestVolume.js';
import { loadedVolumeOf } from '../loadedVolumeOf.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

describe('defaultThreshold', () => {
  it('gives CT, and a NIfTI in HU, soft tissue −100…300 HU', () => {
    expect(defaultThreshold(ctTestVolume([2, 2, 2], [1, 1, 1]))).toEqual({ min: -100, max: 300 });
    expect(defaultThreshold(ctTestVolume([2, 2, 2], [1, 1, 1], { modality: '', units: 'HU' }))).toEqual({ min: -100, max: 300 });
  });

  it.skipIf(!hasSharedData)(`gives an MR the 25th to 99.5th percentile of its non-zero voxels, whole numbers (${noSharedDataReason})`, async () => {
    // numpy: np.percentile(d[d != 0], [25, 99.5]) = 20, 694 (TotalSegmentator MR); 94, 194 (FLAIR).
    const mr = loadedVolumeOf((await readNifti(sharedData('nifti/totalseg/example_mr_sm.nii.gz'))).volume);
    expect(defaultThreshold(mr)).toEqual({ min: 20, max: 694 });
    const flair = defaultThreshold(loadedVolumeOf((await readNifti(sharedData('nifti/niivue/FLAIR.nii.gz'))).volume));
    expect(flair).toEqual({ min: 94, max: 194 });
  });
});
