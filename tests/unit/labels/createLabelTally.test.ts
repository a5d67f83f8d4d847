import { beforeAll, describe, expect, it } from 'vitest';
import type { LabelEdit, SegmentDef, SegmentInfo } from '../../../core/contract.js';
import type { LabelArray } from '../../../core/labels/LabelArray.js';
import { applyLabelEdits } from '../../../main/labels/applyLabelEdits.js';
import { createLabelTally } from '../../../main/labels/createLabelTally.js';
import { segmentStatistics } from '../../../main/labels/segmentStatistics.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { seededRandom } from '../../seededRandom.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

/** A segment for every (layer, value) any layer holds, and one that none does. */
function segmentsOf(layers: readonly LabelArray[]): SegmentDef[] {
  const found = layers.flatMap((labels, layer) => [...new Set(labels)].filter((v) => v !== 0).map((value) => ({ layer, value })));
  return [...found, { layer: 0, value: 999 }].map(({ layer, value }) => ({
    layer,
    value,
    name: `${layer}:${value}`,
    colour: [1, 2, 3],
    algorithmType: 'MANUAL',
    locked: false,
  }));
}

/**
 * Counts, volumes, min and max equal; mean and SD within `tolerance` (the sums are shifted by another voxel's value,
 * and a float scan's sums carry the rounding of every edit).
 */
function expectSameStatistics(kept: readonly SegmentInfo[], full: readonly SegmentInfo[], tolerance: number): void {
  expect(kept.map(({ mean, sd, ...exact }) => exact)).toEqual(full.map(({ mean, sd, ...exact }) => exact));
  kept.forEach((s, n) => {
    for (const key of ['mean', 'sd'] as const) {
      if (full[n]![key] === null) expect(s[key]).toBeNull();
      else expect(Math.abs(s[key]! - full[n]![key]!)).toBeLessThanOrEqual(tolerance);
    }
  });
}

/** Random edits: runs of old labels, erasures (0), labels above 255 (a layer widened) and, now and then, a layer added. */
function randomEdits(random: () => number, layers: readonly LabelArray[], labels: readonly number[]): LabelEdit[] {
  const voxels = layers[0]!.length;
  return Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
    const layer = random() < 0.05 && layers.length < 3 ? layers.length : Math.floor(random() * layers.length);
    const runs = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
      const count = random() < 0.1 ? Math.floor(random() * 20_000) : 1 + Math.floor(random() * 300);
      const start = Math.floor(random() * (voxels - count));
      const pick = random();
      const value = pick < 0.3 ? 0 : pick < 0.33 ? 300 + Math.floor(random() * 3) : labels[Math.floor(random() * labels.length)]!;
      return [start, count, value];
    });
    return { layer, runs: new Uint8Array(Uint32Array.from(runs.flat()).buffer) };
  });
}

describe.skipIf(!hasSharedData)(`createLabelTally on TotalSegmentator's example CT and its 117-label result (${noSharedDataReason})`, () => {
  let ct: Volume;
  let seg: Uint8Array;
  beforeAll(async () => {
    ct = (await readNifti(sharedData('nifti/totalseg/example_ct_sm.nii.gz'))).volume;
    seg = (await readNifti(sharedData('nifti/totalseg/example_seg.nii.gz'))).volume.voxels as Uint8Array;
  });

  it('starts equal to one pass over the layers: 41 labels of 369,660 voxels', () => {
    const layers = [seg.slice()];
    const segments = segmentsOf(layers);
    const stats = segmentStatistics(ct, layers, segments, createLabelTally(ct.voxels));
    expect(ct.voxels.length).toBe(369_660);
    expect(segments).toHaveLength(42);
    expect(stats).toEqual(segmentStatistics(ct, layers, segments));
    expect(stats.reduce((sum, s) => sum + s.voxels, 0)).toBe(seg.reduce((n, v) => n + (v === 0 ? 0 : 1), 0));
  });

  it.each([
    // Exact sums: only the last division and the shift's addition round.
    ['its HU (int16)', 11, (voxels: Volume['voxels']) => voxels, 1e-9],
    // Float scans (PET, rescaled MR): float32's 24 bits leave the sums exact here; float64 within 1e-9 of its largest value (45),
    // far below what the panel shows (exports count afresh).
    ['float32 values (HU × 0.0371 + 0.5)', 12, (voxels: Volume['voxels']) => Float32Array.from(voxels, (v) => v * 0.0371 + 0.5), 1e-9],
    ['float64 values (HU × 0.0371 + 0.5)', 13, (voxels: Volume['voxels']) => Float64Array.from(voxels, (v) => v * 0.0371 + 0.5), 45e-9],
  ])('after every 10 of 300 random edits on %s, equals the full computation again', (_, seed, toValues, tolerance) => {
    const volume = { ...ct, voxels: toValues(ct.voxels) };
    const random = seededRandom(seed);
    const tally = createLabelTally(volume.voxels);
    let layers: LabelArray[] = [seg.slice()];
    const labels = [...new Set(seg)].filter((v) => v !== 0);
    // Asked for once first, as a mask is when it is added: later edits keep the sums from there.
    segmentStatistics(volume, layers, segmentsOf(layers), tally);
    for (let step = 0; step < 300; step++) {
      layers = applyLabelEdits(layers, randomEdits(random, layers, labels), volume.voxels.length, tally.beforeFill);
      if (step % 10 !== 9) continue;
      const segments = segmentsOf(layers);
      expectSameStatistics(segmentStatistics(volume, layers, segments, tally), segmentStatistics(volume, layers, segments), tolerance);
    }
    expect(layers.length).toBeGreaterThan(1);
    expect(layers[0]).toBeInstanceOf(Uint16Array);
  });

  it("finds a label's minimum and maximum again when their last voxels are erased", () => {
    const layers = [seg.slice()];
    const tally = createLabelTally(ct.voxels);
    const [liver] = segmentsOf(layers).filter((s) => s.value === 5);
    const before = segmentStatistics(ct, layers, [liver!], tally)[0]!;
    const extremes = [...layers[0]!.keys()].filter((n) => layers[0]![n] === 5 && [before.min, before.max].includes(ct.voxels[n]!));
    const erased = applyLabelEdits(
      layers,
      [{ layer: 0, runs: new Uint8Array(Uint32Array.from(extremes.flatMap((n) => [n, 1, 0])).buffer) }],
      seg.length,
      tally.beforeFill,
    );
    const after = segmentStatistics(ct, erased, [liver!], tally)[0]!;
    expect(after.voxels).toBe(before.voxels - extremes.length);
    expect([after.min, after.max]).toEqual([segmentStatistics(ct, erased, [liver!])[0]!.min, segmentStatistics(ct, erased, [liver!])[0]!.max]);
    expect(after.min).toBeGreaterThan(before.min!);
    expect(after.max).toBeLessThan(before.max!);
  });
});

describe('createLabelTally on a float scan with no-value voxels', () => {
  it('gives a label its mean and SD again once a NaN or an infinity it held is erased', () => {
    const values = Float32Array.from([Number.NaN, 1, 2, 3, 4, Number.POSITIVE_INFINITY, 6]);
    const volume = {
      voxels: values,
      spacing: [1, 1, 1],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    } as unknown as Volume;
    const [segment] = segmentsOf([Uint8Array.from([1, 1, 1, 1, 1, 1, 0])]);
    let layers: LabelArray[] = [new Uint8Array(values.length)];
    const tally = createLabelTally(values);
    const paint = (n: number, label: number): void => {
      layers = applyLabelEdits(layers, [{ layer: 0, runs: new Uint8Array(Uint32Array.from([n, 1, label]).buffer) }], values.length, tally.beforeFill);
    };
    segmentStatistics(volume, layers, [segment!], tally);
    for (let n = 0; n < 6; n++) paint(n, 1);
    expect(segmentStatistics(volume, layers, [segment!], tally)[0]!.mean).toBeNaN();
    paint(0, 0);
    paint(5, 0);
    const kept = segmentStatistics(volume, layers, [segment!], tally)[0]!;
    expect([kept.voxels, kept.mean, kept.sd]).toEqual([4, 2.5, Math.sqrt(1.25)]);
  });
});
