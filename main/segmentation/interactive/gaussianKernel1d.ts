/**
 * MONAI's `gaussian_1d(sigma, truncated=4.0, approx="erf")` (monai/networks/layers/convutils.py), the kernel
 * GaussianFilter applies along each axis: taps x = −tail…tail with tail = int(max(σ·truncated, 0.5) + 0.5),
 * each 0.5·(erf((x + 0.5)·t) − erf((x − 0.5)·t)) with t = 0.70710678 / σ, clamped at 0 and not normalised.
 * Computed in double precision; torch computes it in float32, so taps agree to float32 rounding.
 */
export function gaussianKernel1d(sigma: number, truncated = 4): Float64Array {
  const tail = Math.trunc(Math.max(sigma * truncated, 0.5) + 0.5);
  const t = 0.70710678 / Math.abs(sigma);
  const kernel = new Float64Array(2 * tail + 1);
  for (let x = -tail; x <= tail; x++) kernel[x + tail] = Math.max(0, 0.5 * (erf(t * (x + 0.5)) - erf(t * (x - 0.5))));
  return kernel;
}

/** The error function to about 1e-15: its Maclaurin series below |x| = 3, a continued fraction for erfc above. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 80 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * sum * (2 / Math.sqrt(Math.PI));
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))), evaluated from the tail.
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + n / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}
