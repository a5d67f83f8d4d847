import { describe, expect, it } from 'vitest';
import { indexToWorld } from '../../../../core/geometry/indexToWorld.js';
import type { Mat3, Vec3, VolumeGeometry } from '../../../../core/geometry/types.js';
import { describeFactors, downsamplePlan, reducedGeometry, textureBudgetBytes } from '../../../../renderer/volume3d/downsamplePlan.js';
import { reducedNote } from '../../../../renderer/volume3d/reducedNote.js';
import { reducedClipBox, screenFromSourceIndex } from '../../../../renderer/volume3d/sourceIndexMap.js';

/** An oblique direction (rotated 30° about z, then 20° about x), so no axis lines up with the world. */
function obliqueDirection(): Mat3 {
  const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
  const [c2, s2] = [Math.cos(Math.PI / 9), Math.sin(Math.PI / 9)];
  const rz: Vec3[] = [
    [c, s, 0],
    [-s, c, 0],
    [0, 0, 1],
  ];
  return rz.map(([x, y, z]) => [x, y * c2 - z * s2, y * s2 + z * c2]) as unknown as Mat3;
}

const bigCt: VolumeGeometry = {
  dimensions: [512, 512, 2400],
  spacing: [0.7, 0.7, 0.5],
  origin: [-180, -170, -1200],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

describe('downsamplePlan', () => {
  it('keeps a volume that fits (512×512×300 float32 is 300 MiB, under the 512 MiB budget)', () => {
    expect(downsamplePlan({ ...bigCt, dimensions: [512, 512, 300] }, 2048, 4)).toBeNull();
  });

  it('halves the 512×512×2400 CT each way for a 2048 limit: 2400 needs 2, then 512×512×1200×4 B = 1.2 GiB needs i and j too', () => {
    const plan = downsamplePlan(bigCt, 2048, 4)!;
    expect(plan.factors).toEqual([2, 2, 2]);
    expect(plan.dimensions).toEqual([256, 256, 1200]);
    expect(plan.spacing).toEqual([1.4, 1.4, 1]);
    expect(plan.reason).toBe('texture-size');
    expect(256 * 256 * 1200 * 4).toBeLessThanOrEqual(textureBudgetBytes);
    expect(reducedNote({ plan })).toBe('3D shown at 1/2 resolution (256×256×1200) to fit this GPU; 2D views are full resolution');
  });

  it('reduces for memory alone when every side fits (a 16384 limit), and says why', () => {
    const plan = downsamplePlan(bigCt, 16384, 4)!;
    expect(plan.reason).toBe('memory');
    const bytes = plan.dimensions.reduce((a, b) => a * b, 1) * 4;
    expect(bytes).toBeLessThanOrEqual(textureBudgetBytes);
    // z is finest (0.5 mm) so it goes first: 2 along k makes 1.0 mm, then i (0.7 mm) → 1.4 mm: 256×512×1200 = 629 MB is still over, then j.
    expect(plan.factors).toEqual([2, 2, 2]);
  });

  it('half floats (R16F) halve the bytes: 512×512×1200 at 2 B is 600 MiB, so i and j still halve but nothing more', () => {
    const plan = downsamplePlan(bigCt, 2048, 2)!;
    expect(plan.factors).toEqual([2, 1, 2]);
    expect(plan.dimensions).toEqual([256, 512, 1200]);
    expect(describeFactors(plan.factors)).toBe('1/2 × 1 × 1/2');
  });

  it('puts each reduced voxel centre at the mean of the source centres it covers, on an oblique grid with odd sides', () => {
    const geometry: VolumeGeometry = { dimensions: [7, 10, 11], spacing: [0.8, 1.3, 2.1], origin: [12.5, -40.25, 300], direction: obliqueDirection() };
    const factors: Vec3 = [2, 3, 4];
    const reduced = reducedGeometry(geometry, factors);
    expect(reduced.dimensions).toEqual([3, 3, 2]);
    for (const [I, J, K] of [
      [0, 0, 0],
      [2, 1, 1],
      [1, 2, 0],
    ] as const) {
      const mean = [0, 0, 0];
      let count = 0;
      for (let k = K * 4; k < K * 4 + 4; k++)
        for (let j = J * 3; j < J * 3 + 3; j++)
          for (let i = I * 2; i < I * 2 + 2; i++) {
            const p = indexToWorld(geometry, [i, j, k]);
            for (let a = 0; a < 3; a++) mean[a]! += p[a]!;
            count++;
          }
      const centre = indexToWorld(reduced, [I, J, K]);
      for (let a = 0; a < 3; a++) expect(centre[a]).toBeCloseTo(mean[a]! / count, 9);
    }
  });

  it('maps the source clip box and screenFromIndex onto the reduced grid consistently', () => {
    const factors: Vec3 = [2, 2, 3];
    expect(reducedClipBox({ lo: [-0.5, -0.5, -0.5], hi: [511.5, 511.5, 2399.5] }, factors)).toEqual({ lo: [-0.5, -0.5, -0.5], hi: [255.5, 255.5, 799.5] });
    const reduced: [number[], number[]] = [
      [1.5, -0.25, 0.75, 10],
      [0.5, 2, -1, -4],
    ];
    const source = screenFromSourceIndex(reduced, factors);
    // Source voxel (5, 8, 13) is at reduced (5 − 0.5)/2, (8 − 0.5)/2, (13 − 1)/3.
    const at = (m: readonly number[], v: readonly number[]): number => m[0]! * v[0]! + m[1]! * v[1]! + m[2]! * v[2]! + m[3]!;
    for (let r = 0; r < 2; r++) expect(at(source[r]!, [5, 8, 13])).toBeCloseTo(at(reduced[r]!, [2.25, 3.75, 4]), 12);
  });

  it('refuses a texture limit that is not a positive whole number (a lost WebGL context answers null) instead of planning Infinity-voxel blocks', () => {
    const mr: VolumeGeometry = { ...bigCt, dimensions: [124, 160, 140], spacing: [1, 1, 1] };
    // Before the check, null gave factors [Infinity, Infinity, Infinity], and blockReduce's loop over a block's slices never ended.
    for (const maxSide of [null, undefined, 0, -2048, NaN, Infinity, 2048.5]) {
      expect(() => downsamplePlan(mr, maxSide as unknown as number, 4), String(maxSide)).toThrow(RangeError);
    }
    expect(() => downsamplePlan(mr, null as unknown as number, 4)).toThrow('the GPU reported no usable 3D texture size (null)');
    // The smallest limit WebGL2 allows still plans finite whole blocks.
    expect(downsamplePlan(mr, 256, 4)).toBeNull();
    expect(downsamplePlan(mr, 100, 4)!.factors).toEqual([2, 2, 2]);
  });
});
