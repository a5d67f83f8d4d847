/**
 * The scan's values as one typed array for the grow worker (it is
 * transferred there): Int16 while every value is a whole number in range (a
 * CT: half the bytes of Float32), else Float32 from the first value that is not.
 */
export function growFromSeedsImage(count: number, valueAt: (voxel: number) => number): Int16Array | Float32Array {
  const whole = new Int16Array(count);
  for (let n = 0; n < count; n++) {
    const v = valueAt(n);
    if (v !== Math.round(v) || v < -32768 || v > 32767) return toFloat(whole, n, count, valueAt);
    whole[n] = v;
  }
  return whole;
}

function toFloat(done: Int16Array, from: number, count: number, valueAt: (voxel: number) => number): Float32Array {
  const out = new Float32Array(count);
  out.set(done.subarray(0, from));
  for (let n = from; n < count; n++) out[n] = valueAt(n);
  return out;
}
