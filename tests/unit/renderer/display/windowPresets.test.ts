import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { valueRange } from '../../../../main/volume/valueRange.js';
import { ctPresets, initialWindow, percentileWindow } from '../../../../renderer/display/windowPresets.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

describe('window presets', () => {
  it('has the usual CT windows', () => {
    expect(ctPresets.map((p) => [p.id, p.center, p.width])).toEqual([
      ['soft-tissue', 40, 400],
      ['lung', -600, 1500],
      ['bone', 400, 1800],
      ['brain', 40, 80],
    ]);
  });

  it('finds percentiles of a known ramp to within a histogram bin', () => {
    const ramp = Float32Array.from({ length: 10001 }, (_, n) => n / 10);
    const w = percentileWindow(ramp, [0, 1000], 0.01, 0.99);
    expect(w.center - w.width / 2).toBeCloseTo(10, 0);
    expect(w.center + w.width / 2).toBeCloseTo(990, 0);
  });

  it('opens CT at the file preset, else soft tissue; MR at 1–99 %', () => {
    const voxels = new Int16Array(10);
    const base = { voxels, range: [0, 1] as const };
    expect(initialWindow({ ...base, modality: 'CT', units: 'HU', filePresets: [{ center: 50, width: 350 }] })).toEqual({ center: 50, width: 350 });
    expect(initialWindow({ ...base, modality: 'CT', units: 'HU', filePresets: [] })).toMatchObject({ center: 40, width: 400 });
  });

  it.skipIf(!hasSharedData)(`windows the real FLAIR from its own percentiles (${noSharedDataReason})`, async () => {
    const { volume } = await readNifti(sharedData('nifti/niivue/FLAIR.nii.gz'));
    const range = valueRange(volume);
    const w = percentileWindow(volume.voxels, range, 0.01, 0.99);
    // Count the voxels the window leaves below and above: about 1 % each, give or take a bin and ties.
    let below = 0;
    let above = 0;
    for (const v of volume.voxels) {
      if (v < w.center - w.width / 2 - 0.5) below++;
      if (v > w.center + w.width / 2 + 0.5) above++;
    }
    expect(below / volume.voxels.length).toBeLessThanOrEqual(0.011);
    expect(above / volume.voxels.length).toBeLessThanOrEqual(0.011);
    expect(above / volume.voxels.length).toBeGreaterThan(0.002);
  });
});
