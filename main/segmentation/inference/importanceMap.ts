/**
 * MONAI's importance map for one window, flattened with the last axis fastest
 * (the network's layout). Constant mode: all ones. Gaussian mode
 * (`compute_importance_map`): per axis exp(−x²/(2σ²)), x from −(roi−1)/2 to
 * (roi−1)/2, σ = sigma_scale × roi; the product, not rescaled, then values
 * below max(min, 1e-3) raised to it.
 */
export function importanceMap(roi: readonly [number, number, number], mode: 'constant' | 'gaussian', sigmaScale: number): Float32Array {
  const [a, b, c] = roi;
  const map = new Float32Array(a * b * c);
  if (mode === 'constant') return map.fill(1);
  const [ga, gb, gc] = roi.map((n) => gaussian1d(n, sigmaScale * n)) as [Float64Array, Float64Array, Float64Array];
  let n = 0;
  let min = Infinity;
  for (let x = 0; x < a; x++) {
    for (let y = 0; y < b; y++) {
      const xy = ga[x]! * gb[y]!;
      for (let z = 0; z < c; z++, n++) {
        const v = Math.fround(xy * gc[z]!);
        map[n] = v;
        if (v < min) min = v;
      }
    }
  }
  const floor = Math.max(min, 1e-3);
  for (let i = 0; i < map.length; i++) if (map[i]! < floor) map[i] = floor;
  return map;
}

function gaussian1d(size: number, sigma: number): Float64Array {
  const g = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const x = i - (size - 1) / 2;
    g[i] = Math.exp(-(x * x) / (2 * sigma * sigma));
  }
  return g;
}
