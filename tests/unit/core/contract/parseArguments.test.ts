import { describe, expect, it } from 'vitest';
import { maxListPoints, parseArguments, type Measurement } from '../../../../core/contract.js';

const plane = { origin: [0, 0, 0], column: [1, 0, 0], row: [0, 1, 0], normal: [0, 0, 1] };
const freehand = (n: number, points: unknown[]): unknown => ({ id: `m${n}`, name: `Outline ${n}`, kind: 'freehand', view: 'axial', plane, points, values: {} });

/** What main answers a payload the renderer (or anything else on the channel) should never send. */
describe('parseArguments on payloads within the schema limits that are wrong in bulk', () => {
  it('answers 100 outlines of 10,000 bad points with one issue per outline, the first ten shown', () => {
    const bad = Array.from({ length: 10_000 }, () => ['x', 'y', 'z']);
    const parsed = parseArguments('measurements:save', { volumeId: 'v1', measurements: Array.from({ length: 100 }, (_, n) => freehand(n, bad)) });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('IPC_INVALID_ARGUMENTS');
    expect(parsed.error.message).toMatch(/^measurements:save: measurements\.0\.points: must be 2 to 10,000 points, each three finite numbers; /);
    expect(parsed.error.message).toMatch(/measurements\.9\.points: [^;]*; and 90 more$/);
    expect(parsed.error.message.length).toBeLessThan(1000);
  });

  it(`refuses a list of more than ${maxListPoints} points in all (its file would pass what the reader takes), and takes one at the limit`, () => {
    const points = (count: number): number[][] => Array.from({ length: count }, (_, k) => [k, k % 7, 0.5]);
    const list = (counts: number[]): unknown[] => counts.map((count, n) => freehand(n, points(count)));
    const over = parseArguments('measurements:save', {
      volumeId: 'v1',
      measurements: list([10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 3]),
    });
    expect(over).toMatchObject({ ok: false, error: { message: 'measurements:save: measurements: a list may hold 100,000 points in all' } });
    const at = parseArguments('measurements:save', { volumeId: 'v1', measurements: list(Array<number>(10).fill(10_000)) });
    expect(at.ok).toBe(true);
    if (at.ok) expect((at.value.measurements[9] as Measurement).points[9999]).toEqual([9999, 9999 % 7, 0.5]);
  });

  it('refuses a point list with holes, which a structured clone keeps and JSON would write as null', () => {
    // Holes made by assigning past the end: index 1 is never set.
    const holed: unknown[] = [[0, 0, 0]];
    holed[2] = [3, 1, 0];
    const point: unknown[] = [1];
    point[2] = 2;
    const holedPoint = [[0, 0, 0], point, [3, 1, 0]];
    for (const points of [holed, holedPoint]) {
      expect(parseArguments('measurements:save', { volumeId: 'v1', measurements: [freehand(0, points)] }).ok).toBe(false);
    }
  });

  it('still names a point that is not finite', () => {
    const parsed = parseArguments('measurements:save', {
      volumeId: 'v1',
      measurements: [
        freehand(0, [
          [0, 0, 0],
          [1, 2, Number.NaN],
          [3, 1, 0],
        ]),
      ],
    });
    expect(parsed).toMatchObject({
      ok: false,
      error: { message: 'measurements:save: measurements.0.points: must be 2 to 10,000 points, each three finite numbers' },
    });
  });
});
