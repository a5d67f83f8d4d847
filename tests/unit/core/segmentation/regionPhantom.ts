import type { Vec3 } from '../../../../core/geometry/types.js';

/** A generated CT-like phantom: values (HU) and the truth of its organs. */
export interface RegionPhantom {
  readonly dimensions: Vec3;
  readonly values: Float32Array;
  /** 1 liver (60 HU), 2 kidney (150 HU, 3 voxels from the liver), 3 bone (700 HU) in fat (−90 HU) inside air (−1000 HU). */
  readonly truth: Uint8Array;
}

/** Normal noise of σ = 1 from a seeded generator (mulberry32 + Box–Muller), the same numbers every run. */
function noiseSource(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** 96×80×64 voxels, noise σ = `sd` HU. */
export function regionPhantom(sd = 12): RegionPhantom {
  const dimensions: Vec3 = [96, 80, 64];
  const [nx, ny, nz] = dimensions;
  const values = new Float32Array(nx * ny * nz);
  const truth = new Uint8Array(nx * ny * nz);
  const noise = noiseSource(16);
  let n = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, n++) {
        const body = ((i - 48) / 44) ** 2 + ((j - 40) / 36) ** 2 <= 1 && k >= 2 && k < nz - 2;
        const liver = ((i - 36) / 22) ** 2 + ((j - 40) / 18) ** 2 + ((k - 32) / 20) ** 2 <= 1;
        const kidney = (i - 69) ** 2 + (j - 40) ** 2 + (k - 32) ** 2 <= 64;
        const bone = (i - 48) ** 2 + (j - 68) ** 2 <= 16 && body;
        const label = liver ? 1 : kidney ? 2 : bone ? 3 : 0;
        truth[n] = label;
        const base = [body ? -90 : -1000, 60, 150, 700][label]!;
        values[n] = base + sd * noise();
      }
    }
  }
  return { dimensions, values, truth };
}
