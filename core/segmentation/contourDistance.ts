/** A 2D image of `width` × `height` pixels, row-major (u fastest), with the pixel spacing in mm. */
export interface Plane2d {
  readonly width: number;
  readonly height: number;
  /** mm between columns (u) and between rows (v). */
  readonly spacing: readonly [number, number];
}

const far = 1e20;

/**
 * The signed distance (mm) of every pixel to a region's contour: negative
 * inside, positive outside, the contour half a pixel from the boundary
 * pixels' centres (so thresholding at 0 gives the region back). Exact
 * Euclidean distances (Felzenszwalb and Huttenlocher's lower envelope of
 * parabolas, columns then rows), weighted by the pixel spacing.
 * @param inside non-zero on the region's pixels, `plane.width × plane.height`
 * @returns one float per pixel; all `+far` values where the region is empty
 */
export function contourDistance(inside: Uint8Array, plane: Plane2d): Float32Array {
  const count = plane.width * plane.height;
  const toRegion = squaredDistance(inside, plane, 1);
  const toOutside = squaredDistance(inside, plane, 0);
  const half = 0.5 * Math.min(plane.spacing[0], plane.spacing[1]);
  const out = new Float32Array(count);
  for (let n = 0; n < count; n++) out[n] = inside[n] !== 0 ? half - Math.sqrt(toOutside[n]!) : Math.sqrt(toRegion[n]!) - half;
  return out;
}

/** Squared distance (mm²) from every pixel to the nearest pixel whose `inside` is (1) or is not (0) set. */
function squaredDistance(inside: Uint8Array, plane: Plane2d, target: 0 | 1): Float64Array {
  const { width, height, spacing } = plane;
  const d = new Float64Array(width * height);
  for (let n = 0; n < d.length; n++) d[n] = (inside[n] !== 0 ? 1 : 0) === target ? 0 : far;
  const longest = Math.max(width, height);
  const line = new Float64Array(longest);
  const result = new Float64Array(longest);
  const scratch = { v: new Int32Array(longest), z: new Float64Array(longest + 1) };
  for (let u = 0; u < width; u++) {
    for (let v = 0; v < height; v++) line[v] = d[u + v * width]!;
    envelope(line, height, spacing[1] * spacing[1], result, scratch);
    for (let v = 0; v < height; v++) d[u + v * width] = result[v]!;
  }
  for (let v = 0; v < height; v++) {
    const row = v * width;
    for (let u = 0; u < width; u++) line[u] = d[row + u]!;
    envelope(line, width, spacing[0] * spacing[0], result, scratch);
    for (let u = 0; u < width; u++) d[row + u] = result[u]!;
  }
  return d;
}

/** One line of the squared distance transform: result[p] = min over q of f[q] + s2·(p − q)². */
function envelope(f: Float64Array, n: number, s2: number, result: Float64Array, scratch: { v: Int32Array; z: Float64Array }): void {
  const { v, z } = scratch;
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q]! >= far) continue;
    let s = 0;
    while (k >= 0) {
      const p = v[k]!;
      s = (f[q]! + s2 * q * q - (f[p]! + s2 * p * p)) / (2 * s2 * (q - p));
      if (s > z[k]!) break;
      k--;
    }
    k++;
    v[k] = q;
    z[k] = k === 0 ? -Infinity : s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    result.fill(far, 0, n);
    return;
  }
  let j = 0;
  for (let p = 0; p < n; p++) {
    while (z[j + 1]! < p) j++;
    const q = v[j]!;
    result[p] = s2 * (p - q) * (p - q) + f[q]!;
  }
}
