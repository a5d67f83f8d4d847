import type { Vec3 } from '../../../../core/geometry/types.js';

/** Two touching organs in a body, with truth and seed strokes, for grow-from-seeds specs and the bench. */
export interface TwoOrganPhantom {
  readonly dimensions: Vec3;
  readonly spacing: Vec3;
  /** HU, Int16, i fastest. */
  readonly image: Int16Array;
  /** 0 outside, 1 organ A (60 HU), 2 organ B (130 HU). */
  readonly truth: Uint8Array;
}

/**
 * A body of fat (-100 HU) holding organ A (an ellipsoid, 60 HU) and organ B
 * (a smaller ellipsoid at 130 HU) pressed into A's side, so they touch along
 * a curved face; Gaussian noise of `noiseHu` from a fixed-seed generator.
 * The shapes are laid out on a 64×64×48 grid of 1×1×2 mm; `dimensions`
 * samples the same body finer (512×512×300 for the bench).
 */
export function makeTwoOrganPhantom(noiseHu = 20, dimensions: Vec3 = [64, 64, 48]): TwoOrganPhantom {
  const [nx, ny, nz] = dimensions;
  const scale: Vec3 = [nx / 64, ny / 64, nz / 48];
  const image = new Int16Array(nx * ny * nz);
  const truth = new Uint8Array(nx * ny * nz);
  const random = gaussian(12345);
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        const [x, y, z] = [i / scale[0], j / scale[1], k / scale[2]];
        const inB = ((x - 44) / 11) ** 2 + ((y - 32) / 12) ** 2 + ((z - 24) / 12) ** 2 <= 1;
        const inA = ((x - 24) / 15) ** 2 + ((y - 32) / 17) ** 2 + ((z - 24) / 17) ** 2 <= 1;
        truth[v] = inB ? 2 : inA ? 1 : 0;
        const hu = inB ? 130 : inA ? 60 : -100;
        image[v] = Math.round(hu + noiseHu * random());
      }
    }
  }
  return { dimensions, spacing: [1 / scale[0], 1 / scale[1], 2 / scale[2]], image, truth };
}

/** One stroke: a seed class and a line on one axial slice, in the 64×64×48 layout's voxels (from[2] is the slice). */
export type Stroke = readonly [cls: number, from: Vec3, to: Vec3];

/**
 * Seed strokes as a user paints them: short lines of 2-voxel discs on three
 * axial slices inside each organ (classes 1 and 2), and background (class 3)
 * lines around the organs on the same slices. `extra` adds one more stroke in
 * organ A on another slice (for the incremental spec).
 */
export function twoOrganStrokes(extra = false): Stroke[] {
  const strokes: Stroke[] = [];
  for (const z of [18, 24, 30]) {
    strokes.push([1, [18, 26, z], [26, 38, z]], [2, [44, 28, z], [48, 36, z]]);
    strokes.push([3, [6, 8, z], [58, 8, z]], [3, [6, 56, z], [58, 56, z]], [3, [4, 12, z], [4, 52, z]], [3, [60, 12, z], [60, 52, z]]);
  }
  for (const z of [4, 44]) strokes.push([3, [10, 32, z], [54, 32, z]]);
  if (extra) strokes.push([1, [20, 30, 12], [28, 34, 12]]);
  return strokes;
}

/**
 * Strokes a user boxing organ B adds inside that box: organ A near the
 * organs' contact and fat around B (above, below, beside), on B's slices.
 */
export function organBBoxStrokes(): Stroke[] {
  const strokes: Stroke[] = [];
  for (const z of [18, 24, 30])
    strokes.push([1, [33, 24, z], [34, 28, z]], [3, [40, 18, z], [56, 18, z]], [3, [40, 46, z], [56, 46, z]], [3, [57, 22, z], [57, 42, z]]);
  for (const z of [11, 37]) strokes.push([3, [40, 32, z], [52, 32, z]]);
  return strokes;
}

/** Paints strokes (see {@link Stroke}) on the phantom's grid: a seed map with classes 1…3. */
export function paintTwoOrganSeeds(phantom: TwoOrganPhantom, extra = false, strokes: readonly Stroke[] = twoOrganStrokes(extra)): Uint8Array {
  const [nx, ny, nz] = phantom.dimensions;
  const s: Vec3 = [nx / 64, ny / 64, nz / 48];
  const seeds = new Uint8Array(nx * ny * nz);
  for (const [cls, from, to] of strokes) {
    const steps = Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) * s[0]) + 1;
    for (let t = 0; t < steps; t++) {
      const f = steps === 1 ? 0 : t / (steps - 1);
      const c: Vec3 = [(from[0] + f * (to[0] - from[0])) * s[0], (from[1] + f * (to[1] - from[1])) * s[1], from[2] * s[2]];
      disc(seeds, phantom.dimensions, c, 2 * s[0], cls);
    }
  }
  return seeds;
}

function disc(seeds: Uint8Array, [nx, ny]: Vec3, [ci, cj, ck]: Vec3, r: number, cls: number): void {
  const k = Math.round(ck);
  for (let j = Math.floor(cj - r); j <= Math.ceil(cj + r); j++) {
    for (let i = Math.floor(ci - r); i <= Math.ceil(ci + r); i++) {
      if (i < 0 || j < 0 || i >= nx || j >= ny || (i - ci) ** 2 + (j - cj) ** 2 > r * r) continue;
      seeds[(k * ny + j) * nx + i] = cls;
    }
  }
}

/** Dice of `label` in `result` (box-sized, placed at `min`) against `value` in `truth` over the whole grid. */
export function diceInGrid(truth: Uint8Array, value: number, result: Uint8Array, label: number, dimensions: Vec3, min: Vec3, max: Vec3): number {
  const [nx, ny] = dimensions;
  const bx = max[0] - min[0] + 1;
  const by = max[1] - min[1] + 1;
  let both = 0;
  let inResult = 0;
  let inTruth = 0;
  for (let v = 0; v < truth.length; v++) if (truth[v] === value) inTruth++;
  for (let k = min[2]; k <= max[2]; k++) {
    for (let j = min[1]; j <= max[1]; j++) {
      for (let i = min[0]; i <= max[0]; i++) {
        if (result[((k - min[2]) * by + (j - min[1])) * bx + (i - min[0])] !== label) continue;
        inResult++;
        if (truth[(k * ny + j) * nx + i] === value) both++;
      }
    }
  }
  return (2 * both) / (inResult + inTruth);
}

/** Standard normal samples from a fixed seed (mulberry32 and Box–Muller). */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
