import { describe, expect, it } from 'vitest';
import type { Mat3, Vec3 } from '../../../../core/geometry/types.js';
import { indexToWorld, worldToIndex } from '../../../../core/geometry/indexToWorld.js';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { alignChannels, type ChannelImage } from '../../../../main/segmentation/channels/alignChannels.js';
import { createVolume, type Volume, type VolumeMetadata } from '../../../../main/volume/Volume.js';

const identity: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
/** Index axes along world -y, +z and -x: another orientation than the identity's. */
const rotated: Mat3 = [
  [0, -1, 0],
  [0, 0, 1],
  [-1, 0, 0],
];

/** A linear function of the LPS position: trilinear interpolation gives it back exactly inside a grid. */
const linear = (p: Vec3): number => 2 * p[0] + 3 * p[1] - p[2] + 500;

function volumeOf(dimensions: Vec3, spacing: Vec3, origin: Vec3, direction: Mat3, metadata: Partial<VolumeMetadata> = {}): Volume {
  const voxels = new Float32Array(dimensions[0] * dimensions[1] * dimensions[2]);
  let n = 0;
  for (let k = 0; k < dimensions[2]; k++) {
    for (let j = 0; j < dimensions[1]; j++) {
      for (let i = 0; i < dimensions[0]; i++, n++) voxels[n] = linear(indexToWorld({ spacing, origin, direction }, [i, j, k]));
    }
  }
  return createVolume({ dimensions, spacing, origin, direction, voxels, metadata: { format: 'nifti', windowPresets: [], fileCount: 1, ...metadata } });
}

const channel = (name: string, volume: Volume): ChannelImage => ({ name, volume, source: `${name.toLowerCase()}.nii.gz` });

function refused(channels: ChannelImage[]): AxialError {
  try {
    alignChannels(channels);
  } catch (error) {
    if (error instanceof AxialError) return error;
    throw error;
  }
  throw new Error('alignChannels accepted the channels');
}

describe('alignChannels', () => {
  const first = volumeOf([12, 10, 8], [1.5, 1.5, 2], [-9, -7, -6], identity);

  it('takes a channel on the same grid as it is, with no warning', () => {
    const same = volumeOf([12, 10, 8], [1.5, 1.5, 2], [-9, -7, -6], identity);
    const { others, warnings } = alignChannels([channel('T1c', first), channel('FLAIR', same)]);
    expect(warnings).toEqual([]);
    expect(others).toHaveLength(1);
    expect(Array.from(others[0]!)).toEqual(Array.from(same.voxels));
  });

  it('resamples a channel of another spacing and orientation trilinearly onto the first grid, and says so', () => {
    // 2.5 mm voxels, axes along -y, +z, -x, origin off the first grid's voxels: narrower than the first along x.
    const other = volumeOf([9, 7, 5], [2.5, 2.5, 2.5], [4.3, 8.1, -5.2], rotated);
    const { others, warnings } = alignChannels([channel('T1c', first), channel('T2', other)]);
    expect(warnings[0]).toBe(
      'T2 (t2.nii.gz) is on another grid than T1c: 9×7×5 voxels of 2.5×2.5×2.5 mm at (4.3, 8.1, -5.2) against 12×10×8 voxels ' +
        "of 1.5×1.5×2 mm at (-9.0, -7.0, -6.0); resampled trilinearly onto T1c's grid",
    );
    const values = others[0]!;
    let inside = 0;
    let outside = 0;
    let n = 0;
    for (let k = 0; k < 8; k++) {
      for (let j = 0; j < 10; j++) {
        for (let i = 0; i < 12; i++, n++) {
          const world = indexToWorld(first, [i, j, k]);
          const at = worldToIndex(other, world);
          if (at.every((x, a) => x >= 0 && x <= other.dimensions[a]! - 1)) {
            // Inside the other grid's outer centres: the linear function itself.
            expect(values[n]).toBeCloseTo(linear(world), 3);
            inside++;
          } else if (at.some((x, a) => x < -0.5 || x > other.dimensions[a]! - 0.5)) {
            // More than half a voxel outside its field of view: nothing was measured there.
            expect(values[n]).toBe(0);
            outside++;
          }
        }
      }
    }
    expect(inside).toBeGreaterThan(200);
    expect(outside).toBeGreaterThan(100);
    // The share of T1c's voxel centres inside T2's field of view, counted here as the resampler tests it.
    const covered = Array.from({ length: 960 }, (_, m) => indexToWorld(first, [m % 12, Math.floor(m / 12) % 10, Math.floor(m / 120)])).filter((w) =>
      worldToIndex(other, w).every((x, a) => x >= -0.5 && x <= other.dimensions[a]! - 0.5),
    ).length;
    expect(covered).toBeLessThan(960);
    expect(warnings.slice(1)).toEqual([`T2 covers ${Math.floor((100 * covered) / 960)} % of T1c's field of view; its values are 0 in the rest`]);
  });

  it('refuses another patient, another frame of reference, or no overlap, naming both inputs', () => {
    const a = volumeOf([12, 10, 8], [1.5, 1.5, 2], [-9, -7, -6], identity, { patientId: 'A-1', frameOfReferenceUid: '1.2.3' });
    const otherPatient = volumeOf([12, 10, 8], [1.5, 1.5, 2], [-9, -7, -6], identity, { patientId: 'B-2', frameOfReferenceUid: '1.2.3' });
    const patient = refused([channel('T1c', a), channel('T1', otherPatient)]);
    expect(patient.code).toBe('SEGMENTATION_GRID_MISMATCH');
    expect(patient.message).toBe('t1.nii.gz: T1c (t1c.nii.gz) and T1 (t1.nii.gz) are of different patients; every input image must show the same scan session');
    const otherFrame = volumeOf([12, 10, 8], [1.5, 1.5, 2], [-9, -7, -6], identity, { patientId: 'A-1', frameOfReferenceUid: '1.2.4' });
    expect(refused([channel('T1c', a), channel('T1', otherFrame)]).message).toMatch(/have different frames of reference/);
    // 40 mm away along z: the two fields of view (16 mm and 16 mm deep) do not meet.
    const far = volumeOf([12, 10, 8], [1.5, 1.5, 2], [-9, -7, 34], identity);
    const apart = refused([channel('T1c', first), channel('T2', far)]);
    expect(apart.message).toMatch(/^t2.nii.gz: T1c \(t1c.nii.gz\) and T2 \(t2.nii.gz\) do not overlap in space/);
    expect(apart.file).toBe('t2.nii.gz');
    // Fields of view that meet by half a voxel, without holding a voxel centre of T1c, overlap in no voxel.
    const touching = volumeOf([12, 10, 8], [1.5, 1.5, 2], [-9, -7, 9.5], identity);
    expect(refused([channel('T1c', first), channel('T2', touching)]).message).toMatch(/T2's field of view holds none of T1c's voxels/);
    // One plane of T1c's eight inside: resampled, with zeros where nothing was measured, and its share said.
    const onePlane = volumeOf([12, 10, 8], [1.5, 1.5, 2], [-9, -7, 7.5], identity);
    expect(alignChannels([channel('T1c', first), channel('T2', onePlane)]).warnings[1]).toBe(
      "T2 covers 12 % of T1c's field of view; its values are 0 in the rest",
    );
  });

  it('refuses an oblique grid whose world box meets the first’s but which holds none of its voxels', () => {
    // A 1 mm slab along x = -y, 45° to T1c's axes, along the line x + y = 25: its LPS box spans x and y from
    // -1.6 to 26.6 mm and so meets T1c's (x to 8.25, y to 7.25 mm), yet T1c's centres have x + y ≤ 14.
    const s = Math.SQRT1_2;
    const diagonal: Mat3 = [
      [s, -s, 0],
      [s, s, 0],
      [0, 0, 1],
    ];
    const slab = volumeOf([40, 1, 8], [1, 1, 2], [12.5 - 19.5 * s, 12.5 + 19.5 * s, -6], diagonal);
    const error = refused([channel('T1c', first), channel('T2', slab)]);
    expect(error.code).toBe('SEGMENTATION_GRID_MISMATCH');
    expect(error.message).toMatch(/^t2.nii.gz: T1c \(t1c.nii.gz\) and T2 \(t2.nii.gz\) do not overlap in space: T2's field of view holds none of T1c's voxels/);
  });
});
