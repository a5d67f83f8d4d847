import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import type { ClickPoint } from '../../../../main/segmentation/interactive/ClickPoint.js';
import { largestErrorClick } from '../../../../main/segmentation/interactive/largestErrorClick.js';
import { segmentWithClicks } from '../../../../main/segmentation/interactive/segmentWithClicks.js';
import { loadModelSpec } from '../../../../main/segmentation/loadModelSpec.js';
import type { ModelSpec } from '../../../../main/segmentation/ModelSpec.js';
import { createOnnxRunner, type OnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { deepEditBundle, makeDeepEditPhantoms, organDice, repoRoot, type DeepEditPhantom } from './deepeditPhantomCases.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-deepedit-noc-'));
let spec: ModelSpec;
let runner: OnnxRunner;
let phantoms: DeepEditPhantom[];

beforeAll(async () => {
  phantoms = await makeDeepEditPhantoms(scratch, [60200, 60201, 60202, 60203, 60204, 60205]);
  spec = await loadModelSpec(deepEditBundle);
  runner = await createOnnxRunner(spec.modelPath, 'cpu', spec);
}, 60_000);
afterAll(async () => {
  await runner?.release();
  rmSync(scratch, { recursive: true, force: true });
});

const run = (p: DeepEditPhantom, points: readonly ClickPoint[], roi: 'scan' | 'clicks' = 'scan') =>
  segmentWithClicks({ volume: p.volume, spec, runBatch: runner.runBatch, points, roi });

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('segmentWithClicks with the demo DeepEdit model', () => {
  it('Dice rises with simulated clicks (0, then 1, 3, 5 from the organ centre on, each at the largest error) on held-back phantoms', async () => {
    const byCount: Record<number, number[]> = { 0: [], 1: [], 3: [], 5: [] };
    for (const p of phantoms) {
      const points: ClickPoint[] = [];
      for (let n = 0; n <= 5; n++) {
        const result = await run(p, points);
        expect(result.labels.dimensions).toEqual(p.volume.dimensions);
        byCount[n]?.push(organDice(p.truth, result.labels.voxels));
        // The first click goes where an annotator starts, the organ's deepest voxel (the largest error of an
        // empty mask), not at the automatic mode's worst error; each later one at the current largest error.
        const next = largestErrorClick(p.volume, p.truth, n === 0 ? new Uint8Array(p.truth.length) : result.labels.voxels);
        if (next) points.push(next);
      }
    }
    const curve = Object.fromEntries(Object.entries(byCount).map(([n, d]) => [n, Number(mean(d).toFixed(3))]));
    console.log('NoC (mean Dice by clicks):', JSON.stringify(curve));
    // Measured with the committed model: 0.775, 0.893, 0.902, 0.910 (the automatic mode often finds the organ,
    // the largest of three same-HU objects; the clicks say which one is wanted).
    expect(curve[1]).toBeGreaterThanOrEqual(curve[0]! + 0.05);
    expect(curve[1]).toBeGreaterThanOrEqual(0.85);
    expect(curve[3]).toBeGreaterThanOrEqual(curve[1]! - 0.01);
    expect(curve[5]).toBeGreaterThanOrEqual(Math.max(curve[1]!, 0.88));
  }, 120_000);

  it('a ROI around the clicks gives labels only inside it, close to the whole-scan run', async () => {
    const p = phantoms[0]!;
    const points: ClickPoint[] = [{ kind: 'fg', world: p.organCentre }];
    const whole = await run(p, points);
    const roi = await run(p, points, 'clicks');
    const [ni, nj] = p.volume.dimensions;
    let outside = 0;
    roi.labels.voxels.forEach((label, v) => {
      const index = [v % ni, Math.floor(v / ni) % nj, Math.floor(v / (ni * nj))];
      if (label !== 0 && index.some((x, a) => x < roi.roi.start[a]! || x >= roi.roi.end[a]!)) outside++;
    });
    expect(outside).toBe(0);
    expect(roi.roi.end.map((e, a) => e - roi.roi.start[a]!)).toEqual(p.volume.dimensions.map((n) => Math.min(n, 128)));
    expect(organDice(p.truth, roi.labels.voxels)).toBeGreaterThan(organDice(p.truth, whole.labels.voxels) - 0.15);
  }, 60_000);

  it('runs the same model as a bare .onnx with an .axial.json sidecar, with the same labels', async () => {
    const onnx = join(scratch, 'clicks.onnx');
    copyFileSync(spec.modelPath, onnx);
    const sidecar = {
      schemaVersion: 1,
      name: 'Clicks from a sidecar',
      input: { channels: 3 },
      output: { channels: 2, labels: { '0': 'background', '1': 'organ' } },
      preprocessing: [
        { _target_: 'Orientationd', axcodes: 'RAS' },
        { _target_: 'ScaleIntensityRanged', a_min: -175, a_max: 250, b_min: 0, b_max: 1, clip: true },
        { _target_: 'AddGuidanceFromPointsDeepEditd', label_names: { organ: 1, background: 0 } },
        { _target_: 'Resized', spatial_size: [64, 64, 64], mode: 'area' },
        { _target_: 'ResizeGuidanceMultipleLabelDeepEditd' },
        { _target_: 'AddGuidanceSignalDeepEditd', sigma: 3 },
      ],
      inferer: { _target_: 'SimpleInferer' },
      postprocessing: [
        { _target_: 'Activationsd', softmax: true },
        { _target_: 'Invertd', nearest_interp: false },
        { _target_: 'AsDiscreted', argmax: true },
      ],
    };
    writeFileSync(join(scratch, 'clicks.axial.json'), JSON.stringify(sidecar));
    const bare = await loadModelSpec(onnx);
    expect(bare.unsupported).toEqual([]);
    expect(bare.interactive).toEqual(spec.interactive);
    const p = phantoms[1]!;
    const points: ClickPoint[] = [
      { kind: 'fg', world: p.organCentre },
      { kind: 'bg', world: p.distractorCentres[0]! },
    ];
    const fromSidecar = await segmentWithClicks({ volume: p.volume, spec: bare, runBatch: runner.runBatch, points });
    expect(Array.from(fromSidecar.labels.voxels)).toEqual(Array.from((await run(p, points)).labels.voxels));
  });

  it('refuses a click outside the scan and clicks for a model that takes none', async () => {
    const p = phantoms[0]!;
    await expect(run(p, [{ kind: 'fg', world: [500, 0, 0] }])).rejects.toMatchObject({ code: 'CLICK_INVALID' });
    await expect(run(p, [{ kind: 'fg', world: p.organCentre, label: 'liver' }])).rejects.toMatchObject({ code: 'CLICK_INVALID' });
    const plain = await loadModelSpec(join(repoRoot, 'models', 'demo-ct-phantom'));
    await expect(
      segmentWithClicks({ volume: p.volume, spec: plain, runBatch: runner.runBatch, points: [{ kind: 'fg', world: p.organCentre }] }),
    ).rejects.toThrow(AxialError);
    await expect(
      segmentWithClicks({ volume: p.volume, spec: plain, runBatch: runner.runBatch, points: [{ kind: 'fg', world: p.organCentre }] }),
    ).rejects.toMatchObject({ code: 'MODEL_UNSUPPORTED' });
  });
});
