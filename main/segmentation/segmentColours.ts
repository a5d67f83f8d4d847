import type { SegmentLabel } from './ModelSpec.js';

/** One row of a segmentation's segment table. */
export interface Segment {
  readonly value: number;
  readonly name: string;
  /** sRGB, 0–255. */
  readonly colour: readonly [number, number, number];
}

/** Gives every non-background label its colour (see {@link labelColour}). */
export function segmentColours(labels: readonly SegmentLabel[]): Segment[] {
  return labels.filter((l) => l.value !== 0).map((l) => ({ value: l.value, name: l.name, colour: labelColour(l.value) }));
}

/**
 * Label v's colour, the same in every mask: hues a golden angle apart, so
 * neighbouring label numbers never look alike, at a saturation and lightness
 * that stay visible over grey CT.
 */
export function labelColour(value: number): [number, number, number] {
  return hslToRgb(((value - 1) * 137.508) % 360, 0.75, 0.55);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}
