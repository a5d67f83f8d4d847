import type { Volume } from '../../../main/volume/Volume.js';
import type { OrientationMarkers, ViewportSnapshot } from '../pages/pageShapes.js';
import { inPlaneAxes } from '../pages/viewGeometry.js';

/** LPS letters for +x, +y, +z (and their opposites). */
const letters = [
  ['L', 'R'],
  ['P', 'A'],
  ['S', 'I'],
] as const;

const opposite: Record<string, string> = { L: 'R', R: 'L', P: 'A', A: 'P', S: 'I', I: 'S' };

/** The patient direction (LPS letter) a world vector points towards most. */
function letterOf(v: readonly number[]): string {
  const axis = [0, 1, 2].reduce((best, a) => (Math.abs(v[a]!) > Math.abs(v[best]!) ? a : best), 0);
  return letters[axis]![v[axis]! >= 0 ? 0 : 1];
}

/**
 * Where the picture really goes: the world direction of screen right and
 * screen down, worked out from the drawn map (cssFromVoxel) and the volume's
 * own geometry, as the markers the view should show.
 */
export function markersFromGeometry(volume: Volume, viewport: ViewportSnapshot): OrientationMarkers {
  const [a, b] = inPlaneAxes(viewport);
  const [mx, my] = viewport.cssFromVoxel;
  const det = mx[a]! * my[b]! - mx[b]! * my[a]!;
  // Index steps per CSS px along screen x and screen y.
  const perX = { [a]: my[b]! / det, [b]: -my[a]! / det } as Record<number, number>;
  const perY = { [a]: -mx[b]! / det, [b]: mx[a]! / det } as Record<number, number>;
  const world = (per: Record<number, number>): number[] =>
    [0, 1, 2].map((c) => [a, b].reduce((sum, axis) => sum + per[axis]! * volume.spacing[axis]! * volume.direction[axis]![c]!, 0));
  const right = letterOf(world(perX));
  const down = letterOf(world(perY));
  return { left: opposite[right]!, right, top: opposite[down]!, bottom: down };
}
