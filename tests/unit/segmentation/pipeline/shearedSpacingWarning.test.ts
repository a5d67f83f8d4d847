import { describe, expect, it } from 'vitest';
import type { Mat3, Vec3 } from '../../../../core/geometry/types.js';
import { unit } from '../../../../core/geometry/vec3.js';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import type { PreprocessingStep } from '../../../../main/segmentation/ModelSpec.js';
import { shearedSpacingWarning } from '../../../../main/segmentation/pipeline/shearedSpacingWarning.js';
import { preprocessVolume } from '../../../../main/segmentation/pipeline/preprocessVolume.js';
import { createVolume, type Volume } from '../../../../main/volume/Volume.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

const steps = (pixdim: Vec3): PreprocessingStep[] => [
  { kind: 'Orientationd', axcodes: 'RAS' },
  { kind: 'Spacingd', pixdim, mode: 'bilinear' },
];

function volumeOn(direction: Mat3, dimensions: Vec3, spacing: Vec3): Volume {
  const voxels = Float32Array.from({ length: dimensions[0] * dimensions[1] * dimensions[2] }, (_, n) => n % 17);
  return createVolume({ dimensions, spacing, origin: [3, -4, 5], direction, voxels, metadata: { format: 'nifti', windowPresets: [], fileCount: 1 } });
}

/**
 * The audit's sheared input (28×24×16, 1×1×2 mm, axis j leaning 0.35 into z; LPS here): MONAI's Spacingd makes a
 * 19×32×18 orthogonal grid of it at 1.5×1.1×1.7 mm, Axial's per-axis resampling a sheared 19×23×19 one.
 */
const sheared: Mat3 = [[-1, 0, 0], unit([0, -1, 0.35]), [0, 0, 1]];

describe('Spacingd on a sheared grid: shearedSpacingWarning', () => {
  it('runs, saying the grid is sheared, naming the axis and its tilt, since MONAI would resample onto another grid', () => {
    const volume = volumeOn(sheared, [28, 24, 16], [1, 1, 2]);
    const { warnings } = preprocessVolume(volume, steps([1.5, 1.1, 1.7]), '/models/b_gauss');
    // Axis k is 90° − acos(0.35 / |(0, 1, 0.35)|) = 19.29° off perpendicular to j; over its 30 mm that is 9.91 mm.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^the scan's grid is sheared .*: its axis 2 is 19\.29° off perpendicular, moving its far voxels 9\.91 mm\. /);
  });

  it('still runs Orientationd alone on it (MONAI keeps the shear there too)', () => {
    const volume = volumeOn(sheared, [28, 24, 16], [1, 1, 2]);
    const oriented = preprocessVolume(volume, [{ kind: 'Orientationd', axcodes: 'RAS' }]);
    expect([oriented.image.dimensions, oriented.warnings]).toEqual([[28, 24, 16], []]);
  });

  it('passes an oblique grid whose axes are perpendicular up to a DICOM header’s rounding', () => {
    const c = Math.cos(0.5);
    const s = Math.sin(0.5);
    const noisy: Mat3 = [unit([c, s + 1e-6, 0]), unit([-s, c, 2e-6]), [1e-6, 0, 1]];
    expect(shearedSpacingWarning({ dimensions: [512, 512, 400], spacing: [0.7, 0.7, 1], direction: noisy }, [1.5, 1.5, 2])).toBeUndefined();
    const volume = volumeOn(noisy, [9, 8, 7], [1, 1, 1]);
    expect(preprocessVolume(volume, steps([2, 2, 2])).image.dimensions).toEqual([5, 4, 4]);
  });

  it.skipIf(!hasSharedData)(`says so for niivue's shear.nii.gz (sform tilted 18.5°) — ${noSharedDataReason}`, async () => {
    const { volume } = await readNifti(sharedData('nifti/niivue/shear.nii.gz'));
    expect(preprocessVolume(volume, steps([3, 3, 3]), '/models/b_coarse').warnings).toEqual([
      expect.stringMatching(/: its axis 2 is 18\.\d\d° off perpendicular/) as unknown,
    ]);
  });
});
