/** The image with k fastest, then j, then i (the network's order), so windows are cut by rows. */
export function transposeToKFastest(data: Float32Array, [ni, nj, nk]: readonly [number, number, number]): Float32Array {
  const out = new Float32Array(data.length);
  let n = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, n++) out[(i * nj + j) * nk + k] = data[n]!;
    }
  }
  return out;
}
