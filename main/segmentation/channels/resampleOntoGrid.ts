import type { VolumeGeometry } from '../../../core/geometry/types.js';
import { indexToWorld, worldToIndex } from '../../../core/geometry/indexToWorld.js';
import type { Volume } from '../../volume/Volume.js';

/** A source's values on a target grid, and how many of the target's voxel centres its field of view holds. */
export interface ResampledChannel {
  /** float32, i fastest, on the target grid. */
  readonly values: Float32Array;
  /** Target voxel centres inside the source's field of view (the rest are 0): 0 means the grids share no voxel. */
  readonly inside: number;
}

/**
 * The source's values at the target grid's voxel centres (float32, i fastest), trilinear. A centre outside the
 * source's field of view (more than half a voxel past its first or last centre on an axis) is 0, as nothing was
 * measured there; inside it, the index is clamped to the outer centres before interpolating (border values).
 * Counting the centres inside tells an oblique grid whose world box meets the target's, yet no voxel, from overlap.
 */
export function resampleOntoGrid(source: Volume, target: VolumeGeometry): ResampledChannel {
  const [ni, nj, nk] = target.dimensions;
  const [si, sj, sk] = source.dimensions;
  // Target index → source index is affine: base + i·di + j·dj + k·dk.
  const base = worldToIndex(source, indexToWorld(target, [0, 0, 0]));
  const step = (axis: 0 | 1 | 2) => {
    const unit: [number, number, number] = [0, 0, 0];
    unit[axis] = 1;
    const p = worldToIndex(source, indexToWorld(target, unit));
    return [p[0] - base[0], p[1] - base[1], p[2] - base[2]] as const;
  };
  const [di, dj, dk] = [step(0), step(1), step(2)];
  const voxels = source.voxels;
  const out = new Float32Array(ni * nj * nk);
  const planeSize = si * sj;
  let n = 0;
  let inside = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      const rx = base[0] + j * dj[0] + k * dk[0];
      const ry = base[1] + j * dj[1] + k * dk[1];
      const rz = base[2] + j * dj[2] + k * dk[2];
      for (let i = 0; i < ni; i++, n++) {
        // Each index from its row's start (not by running sums), so the field-of-view test does not drift.
        const x = rx + i * di[0];
        const y = ry + i * di[1];
        const z = rz + i * di[2];
        if (x < -0.5 || y < -0.5 || z < -0.5 || x > si - 0.5 || y > sj - 0.5 || z > sk - 0.5) continue;
        inside++;
        const cx = Math.min(Math.max(x, 0), si - 1);
        const cy = Math.min(Math.max(y, 0), sj - 1);
        const cz = Math.min(Math.max(z, 0), sk - 1);
        const x0 = Math.min(Math.floor(cx), si - 1);
        const y0 = Math.min(Math.floor(cy), sj - 1);
        const z0 = Math.min(Math.floor(cz), sk - 1);
        const fx = cx - x0;
        const fy = cy - y0;
        const fz = cz - z0;
        const x1 = Math.min(x0 + 1, si - 1);
        const y1 = Math.min(y0 + 1, sj - 1);
        const z1 = Math.min(z0 + 1, sk - 1);
        const at = (a: number, b: number, c: number): number => voxels[a + si * b + planeSize * c]!;
        const c00 = at(x0, y0, z0) * (1 - fx) + at(x1, y0, z0) * fx;
        const c10 = at(x0, y1, z0) * (1 - fx) + at(x1, y1, z0) * fx;
        const c01 = at(x0, y0, z1) * (1 - fx) + at(x1, y0, z1) * fx;
        const c11 = at(x0, y1, z1) * (1 - fx) + at(x1, y1, z1) * fx;
        out[n] = (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
      }
    }
  }
  return { values: out, inside };
}
