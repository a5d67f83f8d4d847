import { describe, expect, it } from 'vitest';
import { createGrowFromSeedsSession } from '../../../../core/segmentation/createGrowFromSeedsSession.js';
import { growFromSeeds } from '../../../../core/segmentation/growFromSeeds.js';
import { BLOCKED, type GrowFromSeedsOptions } from '../../../../core/segmentation/growFromSeedsTypes.js';
import { diceInGrid, makeTwoOrganPhantom, paintTwoOrganSeeds } from './growFromSeedsPhantom.js';
import { cheapestClasses, referenceClassCosts } from './growFromSeedsReference.js';

const phantom = makeTwoOrganPhantom();
const options = (change: Partial<GrowFromSeedsOptions> = {}): GrowFromSeedsOptions => ({
  dimensions: phantom.dimensions,
  spacing: phantom.spacing,
  image: phantom.image,
  neighbourhood: 26,
  distancePenalty: 0,
  ...change,
});

describe('growFromSeeds', () => {
  it('grows a step image to the edge between its two seeds', () => {
    const image = Int16Array.from([0, 2, 1, 0, 100, 104, 98, 101]);
    const seeds = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 2]);
    const result = growFromSeeds({ dimensions: [8, 1, 1], spacing: [1, 1, 1], image, neighbourhood: 6, distancePenalty: 0 }, seeds);
    expect([...result.labels]).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(result.settled).toBe(8);
  });

  it.each([26, 6] as const)('segments two touching organs from a few strokes each (Dice ≥ 0.9, %i neighbours)', (neighbourhood) => {
    const result = growFromSeeds(options({ neighbourhood }), paintTwoOrganSeeds(phantom));
    const { min, max } = result.box;
    const diceA = diceInGrid(phantom.truth, 1, result.labels, 1, phantom.dimensions, min, max);
    const diceB = diceInGrid(phantom.truth, 2, result.labels, 2, phantom.dimensions, min, max);
    console.log(`${neighbourhood} neighbours: Dice A ${diceA.toFixed(4)}, B ${diceB.toFixed(4)}, box ${min.join(',')}–${max.join(',')}`);
    expect(diceA).toBeGreaterThanOrEqual(0.9);
    expect(diceB).toBeGreaterThanOrEqual(0.9);
    // The default box: the seeds' box (x 2…62, y 6…58, z 4…44) widened by a tenth of its extent, clipped to the grid.
    expect(result.box).toEqual({ min: [0, 0, 0], max: [63, 63, 47] });
  });

  it('leaves blocked voxels (locked segments) as they are and grows around them, never through', () => {
    const seeds = paintTwoOrganSeeds(phantom);
    const [nx, ny] = phantom.dimensions;
    // A locked slab through organ A at k = 36…37, and a locked shell around a pocket of A at k = 40 that no seed can reach.
    for (let v = 36 * nx * ny; v < 38 * nx * ny; v++) if (phantom.truth[v] === 1) seeds[v] = BLOCKED;
    const pocket = (40 * ny + 32) * nx + 24;
    for (const d of [-1, 1, -nx, nx, -nx * ny, nx * ny]) seeds[pocket + d] = BLOCKED;
    for (const d of [-nx - 1, -nx + 1, nx - 1, nx + 1]) for (const e of [0, -nx * ny, nx * ny]) seeds[pocket + d + e] = BLOCKED;
    for (const d of [-1, 1, -nx, nx]) for (const e of [-nx * ny, nx * ny]) seeds[pocket + d + e] = BLOCKED;
    const result = growFromSeeds(options(), seeds);
    const at = (v: number): number => result.labels[v]!; // the default box is the whole grid here
    let blocked = 0;
    for (let v = 0; v < seeds.length; v++) {
      if (seeds[v] !== BLOCKED) continue;
      blocked++;
      expect(at(v)).toBe(0);
    }
    expect(blocked).toBeGreaterThan(500);
    expect(at(pocket)).toBe(0);
    // Everything else is reached, beyond the slab too (around its edge): only the walled-in pocket is left.
    let unreached = 0;
    for (let v = 0; v < seeds.length; v++) if (seeds[v] !== BLOCKED && at(v) === 0) unreached++;
    expect(unreached).toBe(1);
  });

  it('grows only inside the box the user sets, ignoring seeds outside it', () => {
    const box = { min: [20, 10, 10], max: [60, 54, 38] } as const;
    const result = growFromSeeds(options({ box }), paintTwoOrganSeeds(phantom));
    expect(result.box).toEqual(box);
    expect(result.labels.length).toBe(41 * 45 * 29);
    const counts = [0, 0, 0, 0];
    for (const l of result.labels) counts[l]!++;
    expect(counts[0]).toBe(0);
    // Organ B lies inside the box whole (and A's seeds partly): B's Dice against the whole truth.
    const diceB = diceInGrid(phantom.truth, 2, result.labels, 2, phantom.dimensions, box.min, box.max);
    expect(diceB).toBeGreaterThanOrEqual(0.9);
    expect(result.settled).toBe(result.labels.length);
  });

  it('reuses the last result when strokes are only added, matching a fresh grow', () => {
    const session = createGrowFromSeedsSession(options({ box: { min: [0, 0, 0], max: [63, 63, 47] } }));
    const first = session.grow(paintTwoOrganSeeds(phantom));
    const more = paintTwoOrganSeeds(phantom, true);
    const second = session.grow(more);
    expect(first.incremental).toBe(false);
    expect(second.incremental).toBe(true);
    expect(second.settled).toBeLessThan(first.settled / 2);
    const fresh = growFromSeeds(options({ box: { min: [0, 0, 0], max: [63, 63, 47] } }), more);
    let differ = 0;
    for (let v = 0; v < fresh.labels.length; v++) if (fresh.labels[v] !== second.labels[v]) differ++;
    expect(differ).toBeLessThanOrEqual(fresh.labels.length * 1e-4);
    // Erasing that stroke again cannot be reused: a fresh grow, equal to the first.
    const third = session.grow(paintTwoOrganSeeds(phantom));
    expect(third.incremental).toBe(false);
    expect(third.labels.length).toBe(first.labels.length);
    expect(third.labels.every((l, v) => l === first.labels[v])).toBe(true);
  });

  it('refuses seeds of one segment and inconsistent sizes', () => {
    const one = new Uint8Array(phantom.image.length);
    one[1000] = 1;
    expect(() => growFromSeeds(options(), one)).toThrow(expect.objectContaining({ code: 'GROW_TOO_FEW_SEEDS' }));
    expect(() => growFromSeeds(options(), new Uint8Array(10))).toThrow(expect.objectContaining({ code: 'GROW_INVALID_INPUT' }));
    expect(() => growFromSeeds(options({ box: { min: [0, 0, 0], max: [64, 10, 10] } }), one)).toThrow(expect.objectContaining({ code: 'GROW_INVALID_INPUT' }));
    expect(() => growFromSeeds(options({ distancePenalty: -1 }), one)).toThrow(expect.objectContaining({ code: 'GROW_INVALID_INPUT' }));
  });

  it('with a distance penalty, an image without edges splits halfway between the seeds', () => {
    const image = new Float32Array(21);
    const seeds = new Uint8Array(21);
    seeds[0] = 1;
    seeds[20] = 2;
    const result = growFromSeeds({ dimensions: [21, 1, 1], spacing: [0.5, 1, 1], image, neighbourhood: 26, distancePenalty: 1 }, seeds);
    expect([...result.labels].filter((l) => l === 1).length).toBe(11);
    expect([...result.labels].filter((l) => l === 2).length).toBe(10);
  });

  it.each([
    [6, 0],
    [26, 0],
    [6, 3],
  ] as const)(
    'labels every voxel with a class of least path cost, as a plain heap Dijkstra per class finds (%i neighbours, penalty %i HU/mm)',
    (neighbourhood, distancePenalty) => {
      const whole = { min: [0, 0, 0], max: [63, 63, 47] } as const;
      const seeds = paintTwoOrganSeeds(phantom);
      // A locked slab through organ A: blocked, neither grown into nor through.
      const [nx, ny] = phantom.dimensions;
      for (let v = 36 * nx * ny; v < 37 * nx * ny; v++) if (phantom.truth[v] === 1) seeds[v] = BLOCKED;
      const session = createGrowFromSeedsSession(options({ neighbourhood, distancePenalty, box: whole }));
      const input = { dimensions: phantom.dimensions, spacing: phantom.spacing, image: phantom.image, neighbourhood, distancePenalty };
      const check = (labels: Uint8Array, grown: Uint8Array): { ties: number; wrong: number } => {
        const classes = [1, 2, 3];
        const costs = referenceClassCosts({ ...input, seeds: grown }, classes);
        let ties = 0;
        let wrong = 0;
        for (let v = 0; v < labels.length; v++) {
          const cheapest = cheapestClasses(costs, classes, v);
          if (cheapest.length > 1) ties++;
          if (cheapest.length === 0 ? labels[v] !== 0 : !cheapest.includes(labels[v]!)) wrong++;
        }
        return { ties, wrong };
      };
      const first = check(session.grow(seeds).labels, seeds);
      // Strokes added: the session reuses its last grow, and still labels by least cost.
      const more = paintTwoOrganSeeds(phantom, true);
      for (let v = 0; v < more.length; v++) if (seeds[v] === BLOCKED) more[v] = BLOCKED;
      const second = session.grow(more);
      expect(second.incremental).toBe(true);
      const again = check(second.labels, more);
      console.log(
        `${neighbourhood} neighbours, penalty ${distancePenalty}: ${first.ties}/${again.ties} tied of ${seeds.length}, ${first.wrong}/${again.wrong} wrong`,
      );
      expect(first.wrong).toBe(0);
      expect(again.wrong).toBe(0);
    },
  );
});
