/** Appends class `c` to the first `count` entries of `found` unless it is there already; returns the new count. */
export function addOnce(found: Int32Array, count: number, c: number): number {
  for (let n = 0; n < count; n++) if (found[n] === c) return count;
  found[count] = c;
  return count + 1;
}
