import type { Rgb } from './types.js';

const goldenAngle = 137.50776405003785;

/**
 * A distinct colour for the n-th label: hues stepped by the golden angle
 * (so neighbouring labels are far apart on the colour wheel) at a fixed,
 * bright saturation and value.
 */
export function goldenAngleColour(n: number): Rgb {
  const hue = (((n * goldenAngle) % 360) + 360) % 360;
  const saturation = 0.65;
  const value = 0.95;
  const channel = (k: number) => {
    const x = (k + hue / 60) % 6;
    return Math.round(255 * value * (1 - saturation * Math.max(0, Math.min(1, x, 4 - x))));
  };
  return [channel(5), channel(3), channel(1)];
}
