import type { Vec3 } from '../../../core/geometry/types.js';

/**
 * MONAI's Resized(mode="area"): torch's `interpolate(mode="area")`, i.e. adaptive average pooling. Output voxel
 * o along an axis of n → m voxels averages input voxels floor(o·n/m) … ceil((o+1)·n/m) − 1; the 3D box mean is
 * the product of the three axes' means, so it is done axis by axis. Invertd undoes Resized with the same mode,
 * so this also maps the network's probabilities back. `data` is i fastest.
 */
export function resizeArea(data: Float32Array, dimensions: Vec3, size: Vec3): Float32Array {
  let current = data;
  let dims: [number, number, number] = [...dimensions];
  for (const axis of [0, 1, 2] as const) {
    if (dims[axis] === size[axis]) continue;
    current = resizeAreaAxis(current, dims, axis, size[axis]);
    dims = dims.map((d, a) => (a === axis ? size[axis] : d)) as [number, number, number];
  }
  return current === data ? data.slice() : current;
}

function resizeAreaAxis(data: Float32Array, dims: Vec3, axis: 0 | 1 | 2, length: number): Float32Array {
  const n = dims[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  const outer = (dims[0] * dims[1] * dims[2]) / (n * stride);
  const out = new Float32Array(outer * length * stride);
  const starts = new Int32Array(length);
  const ends = new Int32Array(length);
  for (let o = 0; o < length; o++) {
    starts[o] = Math.floor((o * n) / length);
    ends[o] = Math.ceil(((o + 1) * n) / length);
  }
  for (let q = 0; q < outer; q++) {
    const inBase = q * n * stride;
    const outBase = q * length * stride;
    for (let o = 0; o < length; o++) {
      const s = starts[o]!;
      const e = ends[o]!;
      const weight = 1 / (e - s);
      const target = outBase + o * stride;
      for (let t = s; t < e; t++) {
        const source = inBase + t * stride;
        for (let r = 0; r < stride; r++) out[target + r]! += data[source + r]! * weight;
      }
    }
  }
  return out;
}
