import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import type { Volume } from '../../../../main/volume/Volume.js';
import { cutPlane } from '../../../../renderer/geometry/cutPlane.js';
import { indexToWorld, worldToIndex } from '../../../../core/geometry/indexToWorld.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { screenToVoxel, voxelToScreen, voxelToScreenMatrix } from '../../../../renderer/geometry/screenMapping.js';
import { viewNames } from '../../../../renderer/geometry/types.js';
import { type Vec3 } from '../../../../core/geometry/types.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

function voxelAt(volume: Volume, index: Vec3): number {
  const [ni, nj] = volume.dimensions;
  return volume.voxels[index[0] + ni * (index[1] + nj * index[2])]!;
}

/** Slice of a view through the voxel nearest an LPS point. */
function sliceThrough(volume: Volume, view: (typeof viewNames)[number], world: Vec3): number {
  const index = worldToIndex(volume, world).map(Math.round) as unknown as Vec3;
  return index[planeAxes(volume, view).sliceAxis];
}

describe.skipIf(!hasSharedData)(`cutPlane on the 8 storage orders of one brain (${noSharedDataReason})`, () => {
  const dir = sharedData('nifti/orientations');
  const load = async (): Promise<[string, Volume][]> =>
    Promise.all(
      readdirSync(dir)
        .filter((f) => f.endsWith('.nii.gz'))
        .sort()
        .map(async (f): Promise<[string, Volume]> => [f, (await readNifti(`${dir}/${f}`)).volume]),
    );

  it('cuts identical pictures in every view at the same world point', async () => {
    const volumes = await load();
    expect(volumes).toHaveLength(8);
    // A point inside the brain, taken from the first file's grid.
    const world = indexToWorld(volumes[0]![1], [40, 30, 35]);
    for (const view of viewNames) {
      const pictures = volumes.map(([file, volume]) => {
        const axes = planeAxes(volume, view);
        const out = new Float32Array(axes.rows * axes.columns);
        const cut = cutPlane(volume.voxels, axes, sliceThrough(volume, view, world), out);
        return { file, out, cut };
      });
      const reference = pictures[0]!;
      let nonZero = 0;
      for (const v of reference.out) if (v !== 0) nonZero++;
      expect(nonZero, `${view} is not an empty slice`).toBeGreaterThan(reference.out.length / 10);
      for (const p of pictures.slice(1)) {
        expect(p.cut, `${p.file} ${view}`).toEqual(reference.cut);
        expect(Buffer.from(p.out.buffer).equals(Buffer.from(reference.out.buffer)), `${p.file} ${view} pixels`).toBe(true);
      }
    }
  });

  it('reads the same voxel, world position and value at the same screen pixel', async () => {
    const volumes = await load();
    const world = indexToWorld(volumes[0]![1], [25, 40, 20]);
    for (const view of viewNames) {
      const readouts = volumes.map(([file, volume]) => {
        const axes = planeAxes(volume, view);
        const slice = sliceThrough(volume, view, world);
        return [
          { row: 10, column: 12 },
          { row: 33, column: 40 },
          { row: axes.rows - 1, column: 0 },
        ].map((pixel) => {
          const index = screenToVoxel(axes, { ...pixel, slice });
          // Round-tripping through the screen gives the pixel back.
          expect(voxelToScreen(axes, index)).toEqual({ ...pixel, slice });
          return { file, world: indexToWorld(volume, index), value: voxelAt(volume, index) };
        });
      });
      const reference = readouts[0]!;
      for (const other of readouts.slice(1)) {
        other.forEach((r, n) => {
          expect(r.value, `${r.file} ${view} value`).toBe(reference[n]!.value);
          for (let c = 0; c < 3; c++) expect(Math.abs(r.world[c]! - reference[n]!.world[c]!)).toBeLessThan(1e-3);
        });
      }
    }
  });

  it('puts anterior at the top and the patient’s right on the left of the axial view', async () => {
    const [, volume] = (await load())[0]!;
    const axes = planeAxes(volume, 'axial');
    const topLeft = indexToWorld(volume, screenToVoxel(axes, { row: 0, column: 0, slice: 0 }));
    const bottomRight = indexToWorld(volume, screenToVoxel(axes, { row: axes.rows - 1, column: axes.columns - 1, slice: 0 }));
    // LPS: right and anterior are the negative x and y ends.
    expect(topLeft[0]).toBeLessThan(bottomRight[0]);
    expect(topLeft[1]).toBeLessThan(bottomRight[1]);
  });
});

describe('cutPlane on a hand-built volume', () => {
  const dims: Vec3 = [4, 3, 2];
  const voxels = Int16Array.from({ length: 24 }, (_, n) => n);
  const geometry = {
    dimensions: dims,
    spacing: [1, 1, 1] as Vec3,
    origin: [0, 0, 0] as Vec3,
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ] as const,
  };

  it('cuts an LPS volume as stored axially, superior-up coronally and anterior-left sagittally', () => {
    const axial = new Int16Array(12);
    cutPlane(voxels, planeAxes(geometry, 'axial'), 1, axial);
    expect([...axial]).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
    const coronal = new Int16Array(8);
    cutPlane(voxels, planeAxes(geometry, 'coronal'), 2, coronal);
    // Row 0 is k = 1 (superior), columns run i = 0…3; j = 2.
    expect([...coronal]).toEqual([20, 21, 22, 23, 8, 9, 10, 11]);
    const sagittal = new Int16Array(6);
    cutPlane(voxels, planeAxes(geometry, 'sagittal'), 3, sagittal);
    // Columns run j = 0 (anterior) … 2, rows k = 1 then 0; i = 3.
    expect([...sagittal]).toEqual([15, 19, 23, 3, 7, 11]);
  });

  it('agrees with its screen mapping matrix', () => {
    for (const view of viewNames) {
      const axes = planeAxes(geometry, view);
      const [mc, mr] = voxelToScreenMatrix(axes);
      const index: Vec3 = [3, 1, 1];
      const s = voxelToScreen(axes, index);
      expect(mc![0]! * 3 + mc![1]! * 1 + mc![2]! * 1 + mc![3]!).toBe(s.column);
      expect(mr![0]! * 3 + mr![1]! * 1 + mr![2]! * 1 + mr![3]!).toBe(s.row);
    }
  });

  it('refuses a slice outside the volume', () => {
    expect(() => cutPlane(voxels, planeAxes(geometry, 'axial'), 2, new Int16Array(12))).toThrow(RangeError);
  });

  it('cuts a 512 × 512 plane in well under a frame', () => {
    const big: Vec3 = [512, 512, 64];
    const volume = new Int16Array(big[0] * big[1] * big[2]);
    for (let n = 0; n < volume.length; n += 97) volume[n] = n & 0x7fff;
    const times: number[] = [];
    for (const view of ['axial', 'coronal', 'sagittal'] as const) {
      const axes = planeAxes({ ...geometry, dimensions: big }, view);
      const out = new Int16Array(axes.rows * axes.columns);
      for (let run = 0; run < 15; run++) {
        const start = performance.now();
        cutPlane(volume, axes, run % axes.slices, out);
        if (view === 'axial') times.push(performance.now() - start);
      }
    }
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length / 2)]!).toBeLessThan(8);
  });
});
