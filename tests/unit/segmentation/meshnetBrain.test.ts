import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { loadModelSpec } from '../../../main/segmentation/loadModelSpec.js';
import { createOnnxRunner } from '../../../main/segmentation/onnx/createOnnxRunner.js';
import { segmentVolume } from '../../../main/segmentation/segmentVolume.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

/**
 * The real MeshNet model (niivue-onnx) on the T1 it was shown on, through its
 * sidecar. The frozen mask tests/fixtures/meshnet-t1_crop.labels.nii.gz was
 * taken once with `axial segment` and checked by eye on the three mid-planes
 * (white matter follows the gyri's cores, grey matter the cortex and the deep
 * nuclei, nothing outside the brain).
 */
describe.skipIf(!hasSharedData)(`MeshNet brain segmentation (${noSharedDataReason})`, () => {
  it('gives plausible white and grey matter volumes and agrees with the frozen mask on ≥ 99.5% of voxels', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-meshnet-'));
    copyFileSync(sharedData('models/meshnet-brain/model.onnx'), join(folder, 'meshnet.onnx'));
    copyFileSync(fixture('meshnet-brain.axial.json'), join(folder, 'meshnet.axial.json'));
    const spec = await loadModelSpec(join(folder, 'meshnet.onnx'));
    const { volume } = await readNifti(sharedData('models/meshnet-brain/t1_crop.nii.gz'));
    const runner = await createOnnxRunner(spec.modelPath, 'cpu', spec);
    try {
      const result = await segmentVolume({ volume, spec, runBatch: runner.runBatch });
      const counts = [0, 0, 0];
      for (const v of result.labels.voxels) counts[v]!++;
      const millilitres = (n: number): number => n / 1000;
      // Adult white matter is typically 400–600 mL and grey matter 550–850 mL (1 mm³ voxels).
      expect(millilitres(counts[1]!)).toBeGreaterThan(400);
      expect(millilitres(counts[1]!)).toBeLessThan(650);
      expect(millilitres(counts[2]!)).toBeGreaterThan(550);
      expect(millilitres(counts[2]!)).toBeLessThan(900);
      const frozen = (await readNifti(fixture('meshnet-t1_crop.labels.nii.gz'))).volume;
      let agree = 0;
      for (let n = 0; n < frozen.voxels.length; n++) if (frozen.voxels[n] === result.labels.voxels[n]) agree++;
      expect(agree / frozen.voxels.length).toBeGreaterThanOrEqual(0.995);
      expect(result.segments.map((s) => s.name)).toEqual(['white matter', 'grey matter']);
    } finally {
      await runner.release();
    }
  });
});
