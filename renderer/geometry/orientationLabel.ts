import type { Vec3 } from '../../core/geometry/types.js';

/** LPS letters of the positive and negative end of each world axis. */
const letters = [
  ['L', 'R'],
  ['P', 'A'],
  ['S', 'I'],
] as const;

/**
 * A world axis is named when the direction leans towards it by at least
 * 22.5° (|component| ≥ sin 22.5° ≈ 0.383). So a 19° oblique MR still reads
 * plain 'A', while an axis half-way between anterior and superior reads 'AS'.
 * 22.5° is half the angle between a principal axis and its 45° diagonal: the
 * label names the nearest of the principal and diagonal directions.
 */
export const secondaryLetterThreshold = Math.sin(Math.PI / 8);

/**
 * Patient-direction letters (L/R, P/A, S/I) of an LPS vector: the strongest
 * component first, then any other component at or above
 * {@link secondaryLetterThreshold}, strongest first.
 */
export function orientationLabel(v: Vec3): string {
  const order = [0, 1, 2].sort((a, b) => Math.abs(v[b]!) - Math.abs(v[a]!));
  const length = Math.hypot(v[0], v[1], v[2]) || 1;
  let label = '';
  order.forEach((w, rank) => {
    const c = v[w]! / length;
    if (rank === 0 || Math.abs(c) >= secondaryLetterThreshold) label += letters[w as 0 | 1 | 2][c >= 0 ? 0 : 1];
  });
  return label;
}
