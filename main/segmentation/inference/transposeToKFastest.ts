/** Rows of i moved together: their 32 output runs (nk values each) stay in the cache while k sweeps. */
const tileRows = 32;

/**
 * The image with k fastest, then j, then i (the network's order), so windows are cut by rows.
 * Tiled: for each j, 32 values of i at a time are read from every k plane and written into their
 * runs, which stay cached (a 512×512×100 CT: 0.16 s against 0.8–1.9 s writing one voxel a run at a time).
 */
export function transposeToKFastest(data: Float32Array, [ni, nj, nk]: readonly [number, number, number]): Float32Array {
  const out = new Float32Array(data.length);
  const plane = ni * nj;
  for (let j = 0; j < nj; j++) {
    for (let i0 = 0; i0 < ni; i0 += tileRows) {
      const i1 = Math.min(ni, i0 + tileRows);
      for (let k = 0; k < nk; k++) {
        const from = k * plane + j * ni;
        for (let i = i0, to = (i0 * nj + j) * nk + k; i < i1; i++, to += nj * nk) out[to] = data[from + i]!;
      }
    }
  }
  return out;
}
