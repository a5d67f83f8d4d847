import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { AxialError } from '../../main/errors/AxialError.js';
import { windowStarts } from '../../main/segmentation/inference/windowStarts.js';
import type { RunBatch } from '../../main/segmentation/inference/slidingWindowInference.js';
import { loadModelSpec } from '../../main/segmentation/loadModelSpec.js';
import type { ModelSpec } from '../../main/segmentation/ModelSpec.js';
import { createOnnxRunnerInWorker } from '../../main/segmentation/onnx/createOnnxRunnerInWorker.js';
import { spacingGrid } from '../../main/segmentation/pipeline/spacingGrid.js';
import { segmentVolume, type SegmentationResult } from '../../main/segmentation/segmentVolume.js';
import { createVolume, type Volume } from '../../main/volume/Volume.js';
import { type Vec3 } from '../../core/geometry/types.js';

/**
 * The unit `npm run bench:segment` times: segments a synthetic CT-sized volume
 * with a MONAI bundle on the CPU and prints one JSON line. With
 * `--save-patches <file>` it runs the same pipeline with a stand-in network that
 * appends every patch the sliding window feeds it to `<file>` (raw float32,
 * [N, 1, 96, 96, 96]) and returns zeros, so another runtime can be timed on
 * exactly the patches ONNX Runtime saw.
 *
 *     node dist/tests/bench/segmentSpleen.js <bundle folder> [--save-patches <file>]
 */

/** 512×512×100 at the spleen bundle's pixdim, so Spacingd keeps the grid and the window count is the figure's own. */
const DIMENSIONS: Vec3 = [512, 512, 100];
const SPACING: Vec3 = [1.5, 1.5, 2];

/** What a timed run prints. */
export interface SegmentSpleenReport {
  readonly provider: string;
  /** ConvTransposes the runner rewrote as Conv + depth-to-space at load. */
  readonly rewritten: number;
  /** Convs merged at load into a sibling that reads the same input. */
  readonly mergedConvs: number;
  /** 3D convolutions run as 2D ones over a depth-major graph (rewriteDepthMajor.ts). */
  readonly depthMajor: number;
  readonly seconds: SegmentationResult['seconds'];
  readonly windows: number;
  readonly patchesPerSecond: number;
  readonly networkGrid: readonly number[];
  readonly volume: { readonly dimensions: readonly number[]; readonly spacing: readonly number[]; readonly dataType: string };
  /** Voxels labelled 1; the weights are random, so this only shows that the run is deterministic. */
  readonly labelledVoxels: number;
}

/** What a `--save-patches` run prints. */
export interface SavePatchesReport {
  readonly windows: number;
  readonly patchesFile: string;
  readonly bytes: number;
}

interface Ellipsoid {
  readonly centre: Vec3;
  /** Semi-axes in voxels; a huge k semi-axis makes a cylinder along k. */
  readonly semi: Vec3;
  readonly hu: number;
}

/**
 * A deterministic abdomen-like CT: air, a body ellipse with a fat rim, soft
 * tissue, liver, spleen, kidneys, aorta, spine and a few gas pockets, plus
 * seeded noise. The grid is RAS (i towards the patient's right, j anterior,
 * k superior), so the bundle's Orientationd keeps the axes as they are.
 */
export function makeSyntheticCt(): Volume {
  const [ni, nj, nk] = DIMENSIONS;
  const c = [ni / 2, nj / 2] as const;
  const long = 1e9;
  const structures: Ellipsoid[] = [
    { centre: [c[0], c[1], 0], semi: [200, 140, long], hu: -100 },
    { centre: [c[0], c[1], 0], semi: [185, 125, long], hu: 40 },
    { centre: [c[0] + 90, c[1] + 10, 60], semi: [80, 70, 35], hu: 60 },
    { centre: [c[0] - 110, c[1] - 40, 65], semi: [35, 50, 25], hu: 48 },
    { centre: [c[0] + 70, c[1] - 70, 40], semi: [22, 30, 28], hu: 32 },
    { centre: [c[0] - 70, c[1] - 70, 40], semi: [22, 30, 28], hu: 32 },
    { centre: [c[0] - 15, c[1] - 60, 0], semi: [10, 10, long], hu: 160 },
    { centre: [c[0], c[1] - 100, 0], semi: [18, 18, long], hu: 700 },
    { centre: [c[0] - 20, c[1] + 60, 50], semi: [25, 12, 8], hu: -900 },
    { centre: [c[0] + 40, c[1] + 80, 30], semi: [15, 10, 6], hu: -900 },
  ];
  const voxels = new Int16Array(ni * nj * nk);
  let seed = 0x9e3779b9;
  const uniform = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  let n = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, n++) {
        let hu = -1000;
        for (const s of structures) if (inside(s, i, j, k)) hu = s.hu;
        // Sum of three uniforms: roughly Gaussian noise, sd ≈ 15 HU.
        voxels[n] = Math.round(hu + (uniform() + uniform() + uniform() - 1.5) * 30);
      }
    }
  }
  return createVolume({
    dimensions: DIMENSIONS,
    spacing: SPACING,
    origin: [((ni - 1) * SPACING[0]) / 2, ((nj - 1) * SPACING[1]) / 2, (-(nk - 1) * SPACING[2]) / 2],
    direction: [
      [-1, 0, 0],
      [0, -1, 0],
      [0, 0, 1],
    ],
    voxels,
    metadata: { format: 'nifti', modality: 'CT', units: 'HU', windowPresets: [], fileCount: 1, seriesDescription: 'synthetic abdomen' },
  });
}

function inside(s: Ellipsoid, i: number, j: number, k: number): boolean {
  const x = (i - s.centre[0]) / s.semi[0];
  const y = (j - s.centre[1]) / s.semi[1];
  const z = (k - s.centre[2]) / s.semi[2];
  return x * x + y * y + z * z <= 1;
}

/** The sliding-window count MONAI's grid gives for this volume (Spacingd then padding to the ROI). */
function expectedWindows(volume: Volume, spec: ModelSpec): { grid: Vec3; windows: number } {
  const spacing = spec.preprocessing.find((s) => s.kind === 'Spacingd');
  const grid = spacing?.kind === 'Spacingd' ? spacingGrid(volume.dimensions, volume.spacing, spacing.pixdim).dimensions : volume.dimensions;
  const roi = spec.inferer.roiSize;
  const windows = [0, 1, 2].reduce((product, a) => {
    const size = Math.max(grid[a]!, roi[a]! > 0 ? roi[a]! : grid[a]!);
    return product * windowStarts(size, roi[a]! > 0 ? roi[a]! : size, spec.inferer.overlap).length;
  }, 1);
  return { grid, windows };
}

async function runTimed(bundle: string): Promise<SegmentSpleenReport> {
  const spec = await loadModelSpec(bundle);
  const volume = makeSyntheticCt();
  const expected = expectedWindows(volume, spec);
  // The inference process's runner: the network on a worker thread, overlapping the sliding window's own work.
  const runner = await createOnnxRunnerInWorker(spec.modelPath, 'cpu', spec);
  let windows = 0;
  try {
    const result = await segmentVolume({ volume, spec, runBatch: runner.runBatch, overlapping: runner, onProgress: (_done, total) => (windows = total) });
    if (windows !== expected.windows) {
      throw new AxialError('INFERENCE_FAILED', `the run used ${windows} windows; MONAI's grid for ${expected.grid.join('×')} has ${expected.windows}`);
    }
    let labelledVoxels = 0;
    for (const v of result.labels.voxels) if (v === 1) labelledVoxels++;
    return {
      provider: runner.provider,
      rewritten: runner.graphRewrite.rewritten,
      mergedConvs: runner.graphRewrite.mergedConvs,
      depthMajor: runner.graphRewrite.depthMajor,
      seconds: result.seconds,
      windows,
      patchesPerSecond: windows / result.seconds.network,
      networkGrid: [...expected.grid],
      volume: { dimensions: [...volume.dimensions], spacing: [...volume.spacing], dataType: volume.dataType },
      labelledVoxels,
    };
  } finally {
    await runner.release();
  }
}

async function savePatches(bundle: string, file: string): Promise<SavePatchesReport> {
  const spec = await loadModelSpec(bundle, { configsOnly: true });
  const volume = makeSyntheticCt();
  const fd = openSync(file, 'w');
  let windows = 0;
  let bytes = 0;
  const record: RunBatch = async (input, count) => {
    writeSync(fd, input);
    bytes += input.byteLength;
    return new Float32Array(count * spec.output.channels * (input.length / count));
  };
  try {
    await segmentVolume({ volume, spec, runBatch: record, onProgress: (done) => (windows = done) });
  } finally {
    closeSync(fd);
  }
  return { windows, patchesFile: file, bytes };
}

const [bundle, flag, file] = process.argv.slice(2);
const usage = bundle === undefined || (flag !== undefined && (flag !== '--save-patches' || file === undefined));
if (usage) {
  process.stderr.write('usage: node dist/tests/bench/segmentSpleen.js <bundle folder> [--save-patches <file>]\n');
  process.exitCode = 2;
} else {
  try {
    const report = file === undefined ? await runTimed(bundle) : await savePatches(bundle, resolve(file));
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (error) {
    const code = error instanceof AxialError ? `${error.code}: ` : '';
    process.stderr.write(`${code}${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
