import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { describeVoxel } from '../../../../renderer/display/describeVoxel.js';
import { centreVoxel } from '../../../../renderer/geometry/centreVoxel.js';
import { indexToWorld } from '../../../../core/geometry/indexToWorld.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';
import { loadedVolumeOf } from '../loadedVolumeOf.js';

describe.skipIf(!hasSharedData)(`centreVoxel (${noSharedDataReason})`, () => {
  it('opens all 8 storage orders at the same anatomy, with the same readout', async () => {
    const dir = sharedData('nifti/orientations');
    const readouts = await Promise.all(
      readdirSync(dir)
        .filter((f) => f.endsWith('.nii.gz'))
        .map(async (file) => {
          const { volume } = await readNifti(`${dir}/${file}`);
          const readout = describeVoxel(loadedVolumeOf(volume), null, centreVoxel(volume))!;
          return { file, world: readout.world, value: readout.value };
        }),
    );
    expect(readouts).toHaveLength(8);
    for (const r of readouts) {
      expect(r.value, r.file).toBe(readouts[0]!.value);
      for (let c = 0; c < 3; c++) expect(Math.abs(r.world[c]! - readouts[0]!.world[c]!), r.file).toBeLessThan(1e-3);
    }
  });

  it('is the middle voxel of an odd axis, whichever way it runs', () => {
    const geometry = {
      dimensions: [5, 4, 3] as const,
      direction: [
        [-1, 0, 0],
        [0, 1, 0],
        [0, 0, -1],
      ] as const,
    };
    // Even j (4 voxels, running posterior): the anterior one of the middle two.
    expect(centreVoxel(geometry)).toEqual([2, 1, 1]);
    const world = indexToWorld({ ...geometry, spacing: [1, 1, 1], origin: [0, 0, 0] }, [2, 1, 1]);
    expect(world).toEqual([-2, 1, -1]);
  });
});
