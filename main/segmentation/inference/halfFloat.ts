/**
 * IEEE 754 half precision (binary16) for storing sums compactly: JavaScript has no Float16Array
 * before Node 24, so values are kept as their 16-bit patterns in a Uint16Array.
 * `decode` is a table of all 65,536 patterns; `encode` rounds to nearest, ties to even, as a
 * hardware conversion does (truncating would bias sums that are stored again and again).
 */
export const halfFloat = {
  /** The float each 16-bit pattern stands for. */
  decode: decodeTable(),
  /** The nearest half to `value` (±Infinity past 65504, NaN kept). */
  encode(value: number): number {
    scratch[0] = value;
    const bits = scratchBits[0]!;
    const sign = (bits >>> 16) & 0x8000;
    const magnitude = bits & 0x7fffffff;
    // 0x477ff000 is 65520: from there the nearest half is infinity.
    if (magnitude >= 0x477ff000) return sign | (magnitude > 0x7f800000 ? 0x7e00 : 0x7c00);
    // Below 2^-14 halves are subnormal: multiples of 2^-24.
    if (magnitude < 0x38800000) return sign | roundHalfEven(Math.abs(scratch[0]!) * 16777216);
    // Rebias the exponent (127 → 15) and round the 13 dropped mantissa bits, ties to even; a carry moves into the exponent as it should.
    return sign | ((magnitude + 0xfff + ((magnitude >>> 13) & 1) - 0x38000000) >>> 13);
  },
};

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  return rest > 0.5 || (rest === 0.5 && (floor & 1) === 1) ? floor + 1 : floor;
}

function decodeTable(): Float32Array {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    const magnitude = exponent === 0 ? mantissa * 2 ** -24 : exponent === 31 ? (mantissa === 0 ? Infinity : NaN) : (1 + mantissa / 1024) * 2 ** (exponent - 15);
    table[h] = h & 0x8000 ? -magnitude : magnitude;
  }
  return table;
}
