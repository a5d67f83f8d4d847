import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { volumeToRasAffine } from '../../../main/volume/volumeTransforms.js';
import { worldToIndex, indexToWorld } from '../../../core/geometry/indexToWorld.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

function sum(volume: Volume): number {
  let total = 0;
  for (let i = 0; i < volume.voxels.length; i++) total += volume.voxels[i]!;
  return total;
}

function at(volume: Volume, i: number, j: number, k: number): number {
  const [ni, nj] = volume.dimensions;
  return volume.voxels[i + ni * (j + nj * k)]!;
}

function expectAffine(volume: Volume, expected: number[][], tolerance = 1e-4): void {
  const affine = volumeToRasAffine(volume);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) expect(Math.abs(affine[r]![c]! - expected[r]![c]!)).toBeLessThan(tolerance);
  }
}

// Expected numbers come from nibabel 5.0 (`img.affine`, `np.asanyarray(img.dataobj)`) on the same files.
describe.skipIf(!hasSharedData)(`readNifti on real files (${noSharedDataReason})`, () => {
  it('takes the sform and the scaling of shear.nii.gz, and says the qform disagrees', async () => {
    const { volume, warnings, affineSource } = await readNifti(sharedData('nifti/niivue/shear.nii.gz'));
    expect(volume.dimensions).toEqual([306, 422, 54]);
    expect(affineSource).toBe('sform');
    expect(volume.dataType).toBe('float32');
    expectAffine(volume, [
      [0.482422, 0.0, 0.0, -94.379356],
      [0.0, 0.457492, 0.0, -117.106018],
      [0.0, 0.153075, 2.370809, -102.203552],
      [0, 0, 0, 1],
    ]);
    expect(warnings.join('\n')).toMatch(/sform and qform disagree/);
    expect(at(volume, 3, 4, 5)).toBe(-1024);
    expect(sum(volume) / -5577896244.733097).toBeCloseTo(1, 6);
  });

  it('reads NIfTI-2, first volume of a 4D file', async () => {
    const { volume, volumeCount } = await readNifti(sharedData('nifti/nibabel/example_nifti2.nii.gz'));
    expect(volume.dimensions).toEqual([32, 20, 12]);
    expect(volumeCount).toBe(2);
    expect(volume.dataType).toBe('int16');
    expect(sum(volume)).toBe(3461748);
    expect(at(volume, 3, 4, 5)).toBe(446);
    expectAffine(volume, [
      [-2.0, 0.0, 0.0, 117.855103],
      [0, 1.973711, -0.355528, -35.722942],
      [0.0, 0.323208, 2.171082, -7.248798],
      [0, 0, 0, 1],
    ]);
  });

  it("reads a 4D file's volumes in one pass, each equal to reading it alone (gzipped, and as an uncompressed copy)", async () => {
    const gzipped = sharedData('nifti/nibabel/example_nifti2.nii.gz');
    const plain = join(mkdtempSync(join(tmpdir(), 'axial-nifti-')), 'example_nifti2.nii');
    writeFileSync(plain, gunzipSync(readFileSync(gzipped)));
    for (const path of [gzipped, plain]) {
      const both = await readNifti(path, { volumes: 2 });
      const second = await readNifti(path, { volumeIndex: 1 });
      expect(both.volume.voxels).toEqual((await readNifti(path)).volume.voxels);
      expect(both.following).toHaveLength(1);
      expect(both.following[0]).toEqual(second.volume.voxels);
      expect(both.following[0]).not.toEqual(both.volume.voxels);
      expect(second.following).toEqual([]);
      await expect(readNifti(path, { volumeIndex: 1, volumes: 2 })).rejects.toMatchObject({ code: 'NIFTI_VOLUME_OUT_OF_RANGE' });
    }
  });

  it('reads big-endian uncompressed NIfTI-1', async () => {
    const { volume } = await readNifti(sharedData('nifti/nibabel/anatomical.nii'));
    expect(volume.dimensions).toEqual([33, 41, 25]);
    expect(sum(volume)).toBe(284166082);
    expect(at(volume, 3, 4, 5)).toBe(5826);
    expectAffine(volume, [
      [-2, 0, 0, 32],
      [0, 2, 0, -40],
      [0, 0, 2, -16],
      [0, 0, 0, 1],
    ]);
  });

  it('reads an oblique MR', async () => {
    const { volume } = await readNifti(sharedData('nifti/niivue/FLAIR.nii.gz'));
    expect(volume.dimensions).toEqual([124, 160, 140]);
    expect(volume.dataType).toBe('uint8');
    expect(sum(volume)).toBe(115231646);
    expectAffine(volume, [
      [0.993592, 0.016005, 0.111887, -64.898239],
      [-0.049705, 0.950937, 0.305367, -110.431145],
      [-0.10151, -0.308971, 0.945639, -27.925539],
      [0, 0, 0, 1],
    ]);
  });

  it('gives the same value at the same world point in all 8 stored orientations', async () => {
    const folder = sharedData('nifti/orientations');
    const files = readdirSync(folder)
      .filter((f) => f.endsWith('.nii.gz'))
      .sort();
    expect(files).toHaveLength(8);
    const volumes = await Promise.all(files.map(async (f) => (await readNifti(`${folder}/${f}`)).volume));
    const reference = volumes[0]!;
    const [ni, nj, nk] = reference.dimensions;
    let compared = 0;
    let nonZero = 0;
    for (let k = 1; k < nk; k += 7) {
      for (let j = 2; j < nj; j += 5) {
        for (let i = 3; i < ni; i += 3) {
          const world = indexToWorld(reference, [i, j, k]);
          const expected = at(reference, i, j, k);
          if (expected !== 0) nonZero++;
          for (const other of volumes.slice(1)) {
            const [x, y, z] = worldToIndex(other, world).map((v) => {
              expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-3);
              return Math.round(v);
            }) as [number, number, number];
            expect(at(other, x, y, z)).toBe(expected);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(nonZero).toBeGreaterThan(500);
  });
});
