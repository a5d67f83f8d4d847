import { describe, expect, it } from 'vitest';
import { stepOpacity, transferTable } from '../../../../renderer/volume3d/transferTable.js';
import { volumePresetOf, volumePresets } from '../../../../renderer/volume3d/volumePresets.js';

const points = [
  { value: 0, colour: [0, 0, 0] as const, opacity: 0 },
  { value: 100, colour: [1, 0.5, 0] as const, opacity: 0.5 },
  { value: 300, colour: [1, 1, 1] as const, opacity: 0.1 },
];

/** The table entry holding `value`. */
const entryOf = (table: ReturnType<typeof transferTable>, value: number): number[] => {
  const n = Math.min(table.size - 1, Math.max(0, Math.round(((value - table.lo) / (table.hi - table.lo)) * (table.size - 1))));
  return [...table.rgba.subarray(n * 4, n * 4 + 4)];
};

describe('transferTable', () => {
  it('interpolates colour and opacity per mm linearly between points, over [first, last] point', () => {
    const table = transferTable(points, 1, 301);
    expect([table.lo, table.hi, table.size]).toEqual([0, 300, 301]);
    // Entry n is at value n: the points themselves are exact.
    expect(entryOf(table, 100)).toEqual([1, 0.5, 0, 0.5]);
    const [r, g, b, a] = entryOf(table, 50);
    expect(r).toBeCloseTo(0.5, 6);
    expect(g).toBeCloseTo(0.25, 6);
    expect(b).toBe(0);
    expect(a).toBeCloseTo(0.25, 6);
    expect(entryOf(table, 200)[3]).toBeCloseTo(0.3, 6);
    // Beyond the ends the end entries hold: fully clear below the first point.
    expect(entryOf(table, -500)).toEqual([0, 0, 0, 0]);
    expect(entryOf(table, 5000)).toEqual([1, 1, 1, 0.1].map((v) => Math.fround(v)));
  });

  it('turns opacity per mm into opacity per step: n steps of 1 mm absorb what one step of n mm does', () => {
    const one = transferTable(points, 1, 301);
    const three = transferTable(points, 3, 301);
    for (const value of [20, 100, 250]) {
      const a1 = entryOf(one, value)[3]!;
      const a3 = entryOf(three, value)[3]!;
      expect(1 - a3).toBeCloseTo((1 - a1) ** 3, 6);
    }
    expect(stepOpacity(0.2, 2)).toBeCloseTo(0.36, 12);
    expect(stepOpacity(1, 0.5)).toBe(1);
    expect(stepOpacity(0, 7)).toBe(0);
  });

  it('refuses points out of order and non-positive steps', () => {
    expect(() => transferTable([points[1]!, points[0]!], 1)).toThrow(RangeError);
    expect(() => transferTable([], 1)).toThrow(RangeError);
    expect(() => transferTable(points, 0)).toThrow(RangeError);
  });
});

describe('volumePresets', () => {
  const voi = { center: 40, width: 400 };
  it('bone and CT angiography leave air, fat and soft tissue transparent and make cortical bone opaque', () => {
    for (const id of ['bone', 'cta'] as const) {
      const table = transferTable(volumePresetOf(id).points(voi), 1);
      for (const hu of [-1000, -100, 40, 100]) expect(entryOf(table, hu)[3], `${id} at ${hu} HU`).toBe(0);
      expect(entryOf(table, 1000)[3], `${id} at 1000 HU`).toBeGreaterThan(0.5);
    }
    // Contrast-filled vessels (about 250 HU) show in CTA more than in bone.
    const cta = entryOf(transferTable(volumePresetOf('cta').points(voi), 1), 250)[3]!;
    const bone = entryOf(transferTable(volumePresetOf('bone').points(voi), 1), 250)[3]!;
    expect(cta).toBeGreaterThan(2 * bone);
  });

  it('soft tissue shows muscle (40 HU) faintly and leaves air and fat clear', () => {
    const table = transferTable(volumePresetOf('soft-tissue').points(voi), 1);
    expect(entryOf(table, -1000)[3]).toBe(0);
    expect(entryOf(table, -100)[3]).toBe(0);
    expect(entryOf(table, 40)[3]).toBeGreaterThan(0.01);
    expect(entryOf(table, 40)[3]).toBeLessThan(0.1);
  });

  it("'window' follows the 2D window: clear below it, a grey ramp across it", () => {
    const table = transferTable(volumePresetOf('window').points({ center: 100, width: 200 }), 1);
    expect([table.lo, table.hi]).toEqual([0, 200]);
    expect(entryOf(table, -50)[3]).toBe(0);
    const mid = entryOf(table, 100);
    expect(mid[0]).toBeCloseTo(0.5, 2);
    expect(mid[0]).toBe(mid[1]);
  });

  it('every preset has strictly ascending points and a unique id', () => {
    expect(new Set(volumePresets.map((p) => p.id)).size).toBe(volumePresets.length);
    for (const p of volumePresets) expect(() => transferTable(p.points(voi), 1)).not.toThrow();
    expect(() => volumePresetOf('nope' as never)).toThrow(RangeError);
  });
});
