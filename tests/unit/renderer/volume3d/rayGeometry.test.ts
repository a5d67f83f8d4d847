import { describe, expect, it } from 'vitest';
import { indexToWorld } from '../../../../core/geometry/indexToWorld.js';
import type { Vec3, VolumeGeometry } from '../../../../core/geometry/types.js';
import { clipBoxOf, fullClipRange } from '../../../../renderer/volume3d/clipRange.js';
import { cameraFrom, rotateCamera, type OrbitCamera } from '../../../../renderer/volume3d/orbitCamera.js';
import { rayGeometry, samplesInBox, type RayGeometry } from '../../../../renderer/volume3d/rayGeometry.js';

/** The CT series' grid: 512×512×20, 0.977×0.977×2 mm, LPS. */
const ct: VolumeGeometry = {
  dimensions: [512, 512, 20],
  spacing: [0.9765625, 0.9765625, 2],
  origin: [-250, -400, -800],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

/** A FLAIR-like grid tilted 19° about x, stored flipped and permuted (SLA-like), anisotropic. */
const tilt = (19 * Math.PI) / 180;
const oblique: VolumeGeometry = {
  dimensions: [40, 64, 48],
  spacing: [3, 0.9, 1.1],
  origin: [12, -30, 55],
  direction: [
    [0, Math.sin(tilt), -Math.cos(tilt)],
    [-1, 0, 0],
    [0, -Math.cos(tilt), -Math.sin(tilt)],
  ],
};

const raysOf = (geometry: VolumeGeometry, camera: OrbitCamera, width = 300, height = 200, stepMm = 0.5): RayGeometry =>
  rayGeometry({ geometry, camera, width, height, stepMm, clip: clipBoxOf(fullClipRange(geometry.dimensions)) });

/** [column, row] of a voxel index, top-left origin. */
const project = (rays: RayGeometry, index: Vec3): [number, number] => {
  const [c, r] = rays.screenFromIndex;
  return [0, 1].map((n) => [c, r][n]!.slice(0, 3).reduce((sum, m, a) => sum + m * index[a]!, [c, r][n]![3]!)) as [number, number];
};

/** Distance (index units) from a voxel index to the ray of the pixel at (column, row), top-left origin. */
function distanceToRay(rays: RayGeometry, height: number, column: number, row: number, index: Vec3): number {
  const y = height - 1 - row;
  const start = [0, 1, 2].map((a) => rays.origin[a]! + column * rays.dx[a]! + y * rays.dy[a]!);
  const d = [0, 1, 2].map((a) => index[a]! - start[a]!);
  const s = rays.step;
  const t = (d[0]! * s[0] + d[1]! * s[1] + d[2]! * s[2]) / (s[0] ** 2 + s[1] ** 2 + s[2] ** 2);
  return Math.hypot(...[0, 1, 2].map((a) => d[a]! - t * s[a]!));
}

describe('rayGeometry', () => {
  it('centres the volume, fits its longest side (+5 %) to the shorter canvas side, and maps the front view radiologically', () => {
    const rays = raysOf(ct, cameraFrom('anterior'));
    const middle: Vec3 = [255.5, 255.5, 9.5];
    const [column, row] = project(rays, middle);
    expect(column).toBeCloseTo(149.5, 9);
    expect(row).toBeCloseTo(99.5, 9);
    expect(rays.mmPerPixel).toBeCloseTo((1.05 * 500) / 200, 12);
    // Patient's left (+i) to screen right, superior (+k) up, both at true mm.
    const [c2, r2] = project(rays, [255.5 + 100, 255.5, 9.5 + 10]);
    expect(c2 - column).toBeCloseTo((100 * 0.9765625) / rays.mmPerPixel, 9);
    expect(r2 - row).toBeCloseTo((-10 * 2) / rays.mmPerPixel, 9);
    // Rays run front to back (+j, posterior) one step of 0.5 mm at a time.
    rays.step.forEach((v, a) => expect(v).toBeCloseTo([0, 0.5 / 0.9765625, 0][a]!, 12));
  });

  it.each([
    ['the CT grid', ct],
    ['an oblique, permuted, anisotropic grid', oblique],
    ['the oblique grid at 10 nm voxels (its axes are not flat, only small)', { ...oblique, spacing: [3e-5, 0.9e-5, 1.1e-5] as Vec3 }],
  ] as const)('on %s the ray of the pixel a voxel projects to passes through that voxel, from any direction', (_, geometry) => {
    let camera = cameraFrom('left');
    for (let turn = 0; turn < 5; turn++) {
      camera = rotateCamera(camera, 37, -23);
      const rays = raysOf(geometry, { ...camera, zoom: 1.7, pan: [4, -6] }, 301, 177);
      for (const index of [
        [0, 0, 0],
        [10, 20, 5],
        [geometry.dimensions[0] - 1, 3, geometry.dimensions[2] - 1],
      ] as Vec3[]) {
        const [column, row] = project(rays, index);
        expect(distanceToRay(rays, 177, column, row, index)).toBeLessThan(1e-9);
      }
    }
  });

  it('keeps mm true on an oblique grid: two voxels project as far apart as their world distance across the screen', () => {
    const camera = cameraFrom('anterior');
    const rays = raysOf(oblique, camera);
    const a: Vec3 = [3, 7, 11];
    const b: Vec3 = [30, 50, 20];
    const [wa, wb] = [indexToWorld(oblique, a), indexToWorld(oblique, b)];
    const [pa, pb] = [project(rays, a), project(rays, b)];
    const across = (p: Vec3, q: Vec3, axis: Vec3): number => (q[0] - p[0]) * axis[0] + (q[1] - p[1]) * axis[1] + (q[2] - p[2]) * axis[2];
    expect((pb[0] - pa[0]) * rays.mmPerPixel).toBeCloseTo(across(wa, wb, camera.right), 9);
    expect(-(pb[1] - pa[1]) * rays.mmPerPixel).toBeCloseTo(across(wa, wb, camera.up), 9);
  });

  it('turns index gradients into world normals with A^−T (column-major)', () => {
    const rays = raysOf(oblique, cameraFrom('anterior'));
    // f(world) = world.z has world gradient (0, 0, 1); in index space ∂f/∂index_a = (direction_a · spacing_a).z.
    const gradient = [0, 1, 2].map((a) => oblique.direction[a]![2] * oblique.spacing[a]!);
    const m = rays.normalMatrix;
    const world = [0, 1, 2].map((row) => m[row]! * gradient[0]! + m[3 + row]! * gradient[1]! + m[6 + row]! * gradient[2]!);
    world.forEach((v, a) => expect(v).toBeCloseTo([0, 0, 1][a]!, 6));
  });

  it('refuses an empty canvas', () => {
    expect(() => raysOf(ct, cameraFrom('anterior'), 0, 10)).toThrow(RangeError);
  });
});

describe('samplesInBox', () => {
  it('counts the samples a ray along an axis takes through the box: one per step, none outside', () => {
    const box = clipBoxOf(fullClipRange([512, 512, 20]));
    // From in front of the volume along +j, one voxel per step: samples at j = −0.5 + 0.5 … land on every voxel centre.
    const along = samplesInBox([100, -10.5, 5], [0, 1, 0], box.lo, box.hi);
    expect(along).toEqual({ first: 10, last: 521 });
    expect(along!.last - along!.first + 1).toBe(512);
    // Half the box clipped away leaves half the samples.
    const half = samplesInBox([100, -10.5, 5], [0, 1, 0], box.lo, [511.5, 255.5, 19.5]);
    expect(half!.last - half!.first + 1).toBe(256);
    // A ray beside the box (i = 600) or parallel to a face outside it takes none.
    expect(samplesInBox([600, -10.5, 5], [0, 1, 0], box.lo, box.hi)).toBeNull();
    expect(samplesInBox([100, -10.5, 25], [0, 1, 0], box.lo, box.hi)).toBeNull();
  });
});
