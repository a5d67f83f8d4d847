/**
 * Label v's colour, the same everywhere: a model's result, a label file, a
 * hand-added segment and a label the table does not name. Hues a golden
 * angle apart, so neighbouring label numbers never look alike, at a
 * saturation and lightness that stay visible over grey CT.
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
