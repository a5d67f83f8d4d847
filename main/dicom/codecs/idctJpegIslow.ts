/**
 * The "ISLOW" integer inverse DCT of the Independent JPEG Group's libjpeg 6b (jidctint.c), which
 * libjpeg-turbo and DCMTK's 8- and 12-bit decoders use by default. Taking the same integer steps
 * gives their samples exactly, where a float IDCT would differ from them by one now and then.
 *
 * The arithmetic is 32-bit (Math.imul, `| 0`, `>>`), as in libjpeg's 32-bit builds: libjpeg
 * chose its scaling (PASS1_BITS) so that every stream whose coefficients come from real
 * samples stays within 32 bits. Only coefficients that no image can produce wrap around, and
 * those give clamped garbage, not an error.
 */

const CONST_BITS = 13;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

const dequantized = new Int32Array(64);
const workspace = new Int32Array(64);
/** The eight outputs of the last 1-D transform, still scaled up by 2^CONST_BITS. */
const transformed = new Int32Array(8);

/**
 * libjpeg's 1-D 8-point IDCT (even part, odd part, butterfly) on source[start + k * stride],
 * k = 0..7, into `transformed`.
 */
function transform8(source: Int32Array, start: number, stride: number): void {
  const in0 = source[start] as number;
  const in1 = source[start + stride] as number;
  const in2 = source[start + 2 * stride] as number;
  const in3 = source[start + 3 * stride] as number;
  const in4 = source[start + 4 * stride] as number;
  const in5 = source[start + 5 * stride] as number;
  const in6 = source[start + 6 * stride] as number;
  const in7 = source[start + 7 * stride] as number;

  let z1 = Math.imul(in2 + in6, FIX_0_541196100);
  const even2 = (z1 - Math.imul(in6, FIX_1_847759065)) | 0;
  const even3 = (z1 + Math.imul(in2, FIX_0_765366865)) | 0;
  const even0 = (in0 + in4) << CONST_BITS;
  const even1 = (in0 - in4) << CONST_BITS;
  const tmp10 = (even0 + even3) | 0;
  const tmp13 = (even0 - even3) | 0;
  const tmp11 = (even1 + even2) | 0;
  const tmp12 = (even1 - even2) | 0;

  z1 = (in7 + in1) | 0;
  let z2 = (in5 + in3) | 0;
  let z3 = (in7 + in3) | 0;
  let z4 = (in5 + in1) | 0;
  const z5 = Math.imul(z3 + z4, FIX_1_175875602);
  z1 = Math.imul(z1, -FIX_0_899976223);
  z2 = Math.imul(z2, -FIX_2_562915447);
  z3 = (Math.imul(z3, -FIX_1_961570560) + z5) | 0;
  z4 = (Math.imul(z4, -FIX_0_390180644) + z5) | 0;
  const odd0 = (Math.imul(in7, FIX_0_298631336) + z1 + z3) | 0;
  const odd1 = (Math.imul(in5, FIX_2_053119869) + z2 + z4) | 0;
  const odd2 = (Math.imul(in3, FIX_3_072711026) + z2 + z3) | 0;
  const odd3 = (Math.imul(in1, FIX_1_501321110) + z1 + z4) | 0;

  transformed[0] = tmp10 + odd3;
  transformed[7] = tmp10 - odd3;
  transformed[1] = tmp11 + odd2;
  transformed[6] = tmp11 - odd2;
  transformed[2] = tmp12 + odd1;
  transformed[5] = tmp12 - odd1;
  transformed[3] = tmp13 + odd0;
  transformed[4] = tmp13 - odd0;
}

/**
 * Dequantizes one block of coefficients and inverse-transforms it into samples, level-shifted by
 * 2^(precision-1) and clamped to [0, 2^precision - 1].
 *
 * @param coefficients - 64 quantized coefficients in natural (row-major) order.
 * @param quantization - the matching 64 quantization steps, in natural order.
 * @param precision - 8 or 12: libjpeg keeps 2 extra bits between the passes for 8-bit samples
 *   and 1 for 12-bit ones (PASS1_BITS), so that 12-bit products fit its 32-bit arithmetic.
 * @param out - receives the 64 samples, row-major.
 */
export function idctJpegIslow(coefficients: Int16Array, quantization: Uint16Array, precision: number, out: Int32Array): void {
  const pass1Bits = precision === 8 ? 2 : 1;
  // DESCALE(x, n) in libjpeg: (x + 2^(n-1)) >> n.
  const pass1Shift = CONST_BITS - pass1Bits;
  const pass1Half = 1 << (pass1Shift - 1);
  const pass2Shift = CONST_BITS + pass1Bits + 3;
  const pass2Half = 1 << (pass2Shift - 1);
  const dcShift = pass1Bits + 3;
  const dcHalf = 1 << (dcShift - 1);
  const center = 1 << (precision - 1);
  const maxSample = (1 << precision) - 1;

  for (let k = 0; k < 64; k++) dequantized[k] = Math.imul(coefficients[k] as number, quantization[k] as number);

  // Pass 1, columns. A column with no AC coefficient transforms to its DC term, scaled (libjpeg's shortcut, same result).
  for (let column = 0; column < 8; column++) {
    if (
      coefficients[8 + column] === 0 &&
      coefficients[16 + column] === 0 &&
      coefficients[24 + column] === 0 &&
      coefficients[32 + column] === 0 &&
      coefficients[40 + column] === 0 &&
      coefficients[48 + column] === 0 &&
      coefficients[56 + column] === 0
    ) {
      const dc = (dequantized[column] as number) << pass1Bits;
      for (let row = 0; row < 64; row += 8) workspace[row + column] = dc;
      continue;
    }
    transform8(dequantized, column, 8);
    for (let row = 0; row < 8; row++) workspace[row * 8 + column] = ((transformed[row] as number) + pass1Half) >> pass1Shift;
  }

  // Pass 2, rows, with the same shortcut.
  for (let row = 0; row < 64; row += 8) {
    if (
      workspace[row + 1] === 0 &&
      workspace[row + 2] === 0 &&
      workspace[row + 3] === 0 &&
      workspace[row + 4] === 0 &&
      workspace[row + 5] === 0 &&
      workspace[row + 6] === 0 &&
      workspace[row + 7] === 0
    ) {
      const sample = clamp((((workspace[row] as number) + dcHalf) >> dcShift) + center, maxSample);
      for (let k = 0; k < 8; k++) out[row + k] = sample;
      continue;
    }
    transform8(workspace, row, 1);
    for (let k = 0; k < 8; k++) out[row + k] = clamp((((transformed[k] as number) + pass2Half) >> pass2Shift) + center, maxSample);
  }
}

function clamp(value: number, maxSample: number): number {
  return value < 0 ? 0 : value > maxSample ? maxSample : value;
}
