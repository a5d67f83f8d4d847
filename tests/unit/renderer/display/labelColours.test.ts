import { describe, expect, it } from 'vitest';
import { labelColours, outlineOffset } from '../../../../renderer/display/labelColours.js';
import { markOutline } from '../../../../renderer/display/markOutline.js';

describe('labelColours', () => {
  const segments = [
    { value: 1, colour: [255, 0, 0] as const, visible: true },
    { value: 3, colour: [0, 0, 255] as const, visible: false },
  ];

  it('gives each label its colour at the fill opacity, background and hidden segments transparent', () => {
    const table = labelColours({ maxLabel: 3, segments, opacity: 0.5, outline: false });
    expect(table).toHaveLength(8);
    expect(table[0]).toEqual([0, 0, 0, 0]);
    expect(table[1]).toEqual([255, 0, 0, 128]);
    expect(table[3]![3]).toBe(0);
    // Label 2 has no segment entry: still drawn, in a fallback colour.
    expect(table[2]![3]).toBe(128);
    // Without the outline, outline pixels look like the fill.
    expect(table[1 + outlineOffset(3)]).toEqual([255, 0, 0, 128]);
  });

  it('draws outlines opaque, even when the fill is fully transparent', () => {
    const table = labelColours({ maxLabel: 3, segments, opacity: 0, outline: true });
    expect(table[1]).toEqual([255, 0, 0, 0]);
    expect(table[1 + 4]).toEqual([255, 0, 0, 255]);
    expect(table[3 + 4]).toEqual([0, 0, 0, 0]);
  });
});

describe('markOutline', () => {
  it('marks the edge pixels of each segment and leaves the interior', () => {
    // 5 × 5: a 3 × 3 block of label 2 in the middle, one pixel of label 1 in the corner.
    const labels = Uint8Array.from([1, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 2, 2, 2, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0]);
    const out = new Uint16Array(25);
    markOutline(labels, 5, 5, 10, out);
    expect([...out]).toEqual([11, 0, 0, 0, 0, 0, 12, 12, 12, 0, 0, 12, 2, 12, 0, 0, 12, 12, 12, 0, 0, 0, 0, 0, 0]);
  });
});
