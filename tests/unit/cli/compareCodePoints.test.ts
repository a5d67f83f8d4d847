import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../../main/cli/compareCodePoints.js';

describe('compareCodePoints', () => {
  it('orders by code points, as Python sorted() does, where UTF-16 units order otherwise', () => {
    // U+FF21 "Ａ" against U+1F600 "😀" (the pair \uD83D\uDE00): by UTF-16 units the emoji sorts first.
    const names = ['😀', 'Ａ', 'b', 'a😀', 'aＡ', '', 'a', '\uE000'];
    expect([...names].sort(compareCodePoints)).toEqual(['', 'a', 'aＡ', 'a😀', 'b', '\uE000', 'Ａ', '😀']);
    expect(compareCodePoints('x', 'x')).toBe(0);
    // Two characters past U+FFFF: their high surrogates, then their low ones, order them.
    expect(['😁', '😀', '🀄'].sort(compareCodePoints)).toEqual(['🀄', '😀', '😁']);
  });
});
