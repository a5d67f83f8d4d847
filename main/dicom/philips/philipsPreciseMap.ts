/** A linear map from stored values to real ones: real = stored × slope + intercept. */
export interface LinearMap {
  readonly slope: number;
  readonly intercept: number;
}

const f32 = Math.fround;

/**
 * The linear map from a Philips frame's stored values SV to its precise floating-point values
 * FP = (SV·RS + RI) / (RS·SS) (Chenevert et al., PMC3998685), where RS and RI are RescaleSlope
 * and RescaleIntercept and SS the private scale slope (2005,100E).
 *
 * The map is worked out as dcm2niix's PhilipsPrecise() does, in float32 throughout: FP of the
 * stored values 0 and 1, whose difference is the slope. dcm2niix writes these two float32s as
 * scl_slope/scl_inter, so stored × slope + intercept, rounded to float32 as Axial stores it,
 * equals dcm2niix's values rounded to float32 exactly, not merely within a tolerance.
 * @returns undefined where FP is not defined or gives no map of its own (RS·SS is 0, SS is 0, or
 *   FP of 0 and of 1 are equal): the frame then keeps its display values, as in dcm2niix.
 */
export function philipsPreciseMap(rescaleSlope: number, rescaleIntercept: number, scaleSlope: number): LinearMap | undefined {
  const rs = f32(rescaleSlope);
  const ri = f32(rescaleIntercept);
  const ss = f32(scaleSlope);
  const denominator = f32(rs * ss);
  if (ss === 0 || denominator === 0 || !Number.isFinite(denominator)) return undefined;
  const atZero = f32(ri / denominator);
  const atOne = f32(f32(rs + ri) / denominator);
  if (atZero === atOne || !Number.isFinite(atZero) || !Number.isFinite(atOne)) return undefined;
  return { slope: f32(atOne - atZero), intercept: atZero };
}
