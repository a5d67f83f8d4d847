import { describe, expect, it } from 'vitest';
import { scanInput } from '../../../main/io/scanInput.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { orientationCode } from '../../../main/volume/volumeTransforms.js';
import { valueRange } from '../../../main/volume/valueRange.js';
import { countMismatches, indexMapping } from '../../indexMapping.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

describe.skipIf(!hasSharedData)(`DICOM series against dcm2niix (${noSharedDataReason})`, () => {
  it('assembles ct-abdomen-j2k into the voxels and geometry of dcm2niix’s conversion', async () => {
    const scan = await scanInput(sharedData('dicom/ct-abdomen-j2k'));
    expect(scan.series).toHaveLength(1);
    expect(scan.skipped).toEqual([]);
    const { volume, warnings } = await scan.series[0]!.load();
    expect(warnings).toEqual([]);
    expect(volume.dimensions).toEqual([512, 512, 20]);
    expect(volume.dataType).toBe('int16');
    expect(orientationCode(volume)).toBe('LPS');
    expect(volume.spacing[0]).toBeCloseTo(0.9765625, 9);
    expect(volume.spacing[2]).toBeCloseTo(2, 6);
    expect(volume.metadata.units).toBe('HU');
    expect(volume.metadata.windowPresets).toEqual([
      { center: 40, width: 300, name: 'WINDOW1' },
      { center: 300, width: 1500, name: 'WINDOW2' },
    ]);
    // dcm2niix: min -1024, max 1839, sum -3272217339 (nibabel on its output).
    expect(valueRange(volume)).toEqual([-1024, 1839]);
    let sum = 0;
    for (let i = 0; i < volume.voxels.length; i++) sum += volume.voxels[i]!;
    expect(sum).toBe(-3272217339);

    const reference = (await readNifti(sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz'))).volume;
    const mapping = indexMapping(volume, reference);
    expect(mapping.cornerErrorMm).toBeLessThan(1e-3);
    expect(mapping.matrix).toEqual([
      [1, 0, 0],
      [0, -1, 0],
      [0, 0, 1],
    ]);
    expect(countMismatches(volume, reference, mapping)).toBe(0);
  });
});
