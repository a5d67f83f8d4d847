import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { describeVoxel, formatValue, formatWorld } from '../../../../renderer/display/describeVoxel.js';
import { indexToWorld, worldToIndex } from '../../../../core/geometry/indexToWorld.js';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';
import { loadedVolumeOf } from '../loadedVolumeOf.js';

describe.skipIf(!hasSharedData)(`describeVoxel on a real CT and its organ labels (${noSharedDataReason})`, () => {
  it('reads value in HU, world position and the segments under a labelled voxel, in every layer', async () => {
    const { volume } = await readNifti(sharedData('nifti/totalseg/example_ct_sm.nii.gz'));
    const { volume: labels } = await readNifti(sharedData('nifti/totalseg/example_seg.nii.gz'));
    // The first labelled voxel in storage order, and its label.
    const offset = labels.voxels.findIndex((v) => v !== 0);
    const [ni, nj] = volume.dimensions;
    const index: Vec3 = [offset % ni, Math.floor(offset / ni) % nj, Math.floor(offset / (ni * nj))];
    const label = labels.voxels[offset]!;
    const overlap = new Uint8Array(labels.voxels.length);
    overlap[offset] = 7;
    const segment = { colour: [1, 2, 3] as [number, number, number], algorithmType: 'MANUAL' as const, locked: false };
    const mask = {
      layers: [Uint8Array.from(labels.voxels), overlap],
      segments: [
        { ...segment, layer: 0, value: label, name: 'found it' },
        { ...segment, layer: 1, value: 7, name: 'and this' },
      ],
    };
    const readout = describeVoxel(loadedVolumeOf(volume, 'HU'), mask, index)!;
    expect(readout.label).toBe(label);
    expect(readout.segment).toBe('found it, and this');
    expect(describeVoxel(loadedVolumeOf(volume, 'HU'), mask, [index[0] + 1, index[1], index[2]])!.segment).not.toMatch(/and this/);
    expect(readout.value).toBe(volume.voxels[offset]);
    expect(readout.valueText).toBe(`${volume.voxels[offset]} HU`);
    expect(worldToIndex(volume, readout.world).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([...index]);
    expect(describeVoxel(loadedVolumeOf(volume, 'HU'), mask, [ni, 0, 0])).toBeNull();
  });
});

describe('formatting', () => {
  it('keeps integers, rounds floats to two decimals and world positions to one', () => {
    expect(formatValue(-1024)).toBe('-1024');
    expect(formatValue(51.17685317993164)).toBe('51.18');
    expect(formatValue(0.0001234)).toBe('1.234e-4');
    // A float file's 1e30, NaN and infinities, as a reader reads them (not 31 digits, "NaN" or "Infinity").
    expect(formatValue(1.0000000150474662e30)).toBe('1.000e+30');
    expect(formatValue(2_000_000.5)).toBe('2.000e+6');
    // An atlas's integer label IDs exactly, whatever their size.
    expect(formatValue(614454277)).toBe('614454277');
    expect([Number.NaN, Infinity, -Infinity].map(formatValue)).toEqual(['no value', '+∞', '−∞']);
    expect(formatWorld([-0.04, 17.55, 6.3])).toBe('0.0, 17.6, 6.3');
    expect(
      formatWorld(
        indexToWorld(
          {
            origin: [1, 2, 3],
            spacing: [1, 1, 1],
            direction: [
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
            ],
          },
          [1, 1, 1],
        ),
      ),
    ).toBe('2.0, 3.0, 4.0');
  });
});
