/**
 * Orders two strings by Unicode code points, as Python's `sorted()` and a C `strcmp` of UTF-8 do: JavaScript's `<`
 * compares UTF-16 units, which puts a character past U+FFFF ("😀", a surrogate pair from U+D800) before U+E000–U+FFFF
 * ("Ａ", U+FF21). Shards split the sorted cases, so every tool that computes the split must see one order.
 */
export function compareCodePoints(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    // At the first differing unit, codePointAt reads the whole pair where one starts (a unit before it is shared).
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return Math.sign(a.codePointAt(i)! - b.codePointAt(i)!);
  }
  return Math.sign(a.length - b.length);
}
