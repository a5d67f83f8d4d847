import type { NumericArray } from '../../core/voxels/NumericArray.js';

/** How real values are stored as half floats: stored = (value − offset) · scale. */
export interface ValueEncoding {
  readonly offset: number;
  readonly scale: number;
}

/** The largest finite half float. */
const halfMax = 65504;

/**
 * The encoding for values in `range`: the identity when they fit half
 * floats (CT's HU do: 1 HU apart up to ±2048, 2 HU above), else centred and
 * scaled into ±60000 (11 significant bits either way).
 */
export function valueEncodingOf(range: readonly [number, number]): ValueEncoding {
  const [lo, hi] = range;
  if (Math.max(Math.abs(lo), Math.abs(hi)) <= halfMax) return { offset: 0, scale: 1 };
  const offset = (lo + hi) / 2;
  return { offset, scale: 60000 / Math.max((hi - lo) / 2, 1e-30) };
}

/** Writes voxels [from, to) of the volume, encoded, into out[0 … to − from). */
export type HalfFloatEncoder = (from: number, to: number, out: Uint16Array) => void;

/**
 * An encoder of a volume's voxels into half-float bits (as WebGL2's R16F
 * textures take them). 8- and 16-bit integer voxels go through a table of
 * every possible value, so a 512×512×300 CT converts in a few hundred ms.
 */
export function halfFloatEncoder(voxels: NumericArray, encoding: ValueEncoding): HalfFloatEncoder {
  const encode = (v: number): number => toHalfBits(Math.min(halfMax, Math.max(-halfMax, (v - encoding.offset) * encoding.scale)));
  const lookup = lookupBase(voxels);
  if (lookup !== null) {
    const table = new Uint16Array(lookup.size);
    for (let n = 0; n < lookup.size; n++) table[n] = encode(n + lookup.base);
    const base = lookup.base;
    return (from, to, out) => {
      for (let n = from; n < to; n++) out[n - from] = table[voxels[n]! - base]!;
    };
  }
  return (from, to, out) => {
    for (let n = from; n < to; n++) out[n - from] = encode(voxels[n]!);
  };
}

function lookupBase(voxels: NumericArray): { base: number; size: number } | null {
  if (voxels instanceof Int16Array) return { base: -32768, size: 65536 };
  if (voxels instanceof Uint16Array) return { base: 0, size: 65536 };
  if (voxels instanceof Int8Array) return { base: -128, size: 256 };
  if (voxels instanceof Uint8Array || voxels instanceof Uint8ClampedArray) return { base: 0, size: 256 };
  return null;
}

const float = new Float32Array(1);
const bits = new Uint32Array(float.buffer);

/** IEEE 754 half-float bits of a number, rounded to nearest even (beyond ±65504: ±infinity). */
export function toHalfBits(value: number): number {
  float[0] = value;
  const x = bits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 112;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const shift = 14 - e;
    const full = mantissa | 0x800000;
    return sign | roundShift(full, shift);
  }
  // A carry out of the mantissa correctly bumps the exponent.
  return sign | ((e << 10) + roundShift(mantissa, 13));
}

/** v >>> shift, rounded to nearest, ties to even. */
function roundShift(v: number, shift: number): number {
  const kept = v >>> shift;
  const rest = v & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && kept & 1) ? kept + 1 : kept;
}

/** The number half-float bits stand for. */
export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
