import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../main/cli/CliIo.js';
import { runSegment } from '../../../../main/cli/runSegment.js';
import type { CaseSummary } from '../../../../main/cli/writeSegmentCase.js';
import { channelWindows } from '../../../../main/segmentation/channels/channelWindows.js';
import { slidingWindowInference } from '../../../../main/segmentation/inference/slidingWindowInference.js';
import { transposeToKFastest } from '../../../../main/segmentation/inference/transposeToKFastest.js';
import { loadModelSpec } from '../../../../main/segmentation/loadModelSpec.js';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { preprocessVolume } from '../../../../main/segmentation/pipeline/preprocessVolume.js';
import { segmentVolume } from '../../../../main/segmentation/segmentVolume.js';
import { readNifti } from '../../../../main/nifti/readNifti.js';

const script = fileURLToPath(new URL('../../../fixtures/makeSliceBundle.py', import.meta.url));
const ventricularConfigs = fileURLToPath(new URL('../../../fixtures/monai-zoo-configs/ventricular_short_axis_3label/configs', import.meta.url));

interface SliceCase {
  readonly name: string;
  readonly shape: readonly [number, number, number];
  readonly roi: readonly [number, number];
  readonly spatial_dim: 0 | 1 | 2;
  readonly mode: 'constant' | 'gaussian';
  readonly overlap: number;
  readonly sw_batch_size: number;
  readonly padding_mode: 'constant' | 'replicate' | 'reflect';
  readonly cval: number;
  readonly seed: number;
  readonly fixed?: boolean;
  /** The ONNX model channels last ([N, a, b, 1] → [N, a, b, 4]), as tf2onnx exports a Keras model. */
  readonly channels_last?: boolean;
  /** The NIfTI's RAS affine, rows; by default diagonal −0.9, −1.1, 2.5 (stored LPS). */
  readonly affine?: readonly (readonly number[])[];
  /** Orientationd RAS and Spacingd to this pixdim (bilinear) before ScaleIntensityd. */
  readonly pixdim?: readonly [number, number, number];
  /** A configs folder copied as it is (the model zoo's), whose inferer the other fields repeat. */
  readonly configs?: string;
  /** 2: a second sequence as the second input channel (LoadImaged stacks the files; ScaleIntensityd scales them together). */
  readonly channels?: 2;
  /** The largest softmax difference allowed (1e-4 unless said). */
  readonly tolerance?: number;
}

interface Written {
  readonly name: string;
  readonly bundle: string;
  readonly image: string;
  /** Every channel's file, the image first. */
  readonly images: readonly string[];
  readonly probabilities: string;
  readonly labels: string;
  /** The network's grid (after Orientationd and Spacingd, when the case has them). */
  readonly network_shape: [number, number, number];
}

/** Each case: what it shows. */
const cases: readonly (SliceCase & { readonly what: string })[] = [
  {
    what: 'slices across the third axis, gaussian blend, 2×2 windows a slice',
    name: 'axis2-gaussian',
    shape: [45, 37, 5],
    roi: [32, 24],
    spatial_dim: 2,
    mode: 'gaussian',
    overlap: 0.25,
    sw_batch_size: 4,
    padding_mode: 'constant',
    cval: 0,
    seed: 11,
  },
  {
    what: 'slices across the first axis, constant blend, overlap 0.5 (4×3 windows a slice)',
    name: 'axis0-constant',
    shape: [6, 41, 29],
    roi: [20, 16],
    spatial_dim: 0,
    mode: 'constant',
    overlap: 0.5,
    sw_batch_size: 5,
    padding_mode: 'constant',
    cval: 0,
    seed: 12,
  },
  {
    what: 'slices across the second axis of an image smaller than the ROI on both other axes, replicate padding, gaussian',
    name: 'axis1-padded',
    shape: [21, 4, 27],
    roi: [32, 32],
    spatial_dim: 1,
    mode: 'gaussian',
    overlap: 0.25,
    sw_batch_size: 2,
    padding_mode: 'replicate',
    cval: 0,
    seed: 13,
  },
  {
    what: 'a model exported with a fixed [1, 1, 24, 24] input, constant padding with cval −0.5 (j smaller than the ROI)',
    name: 'axis2-fixed-cval',
    shape: [30, 18, 3],
    roi: [24, 24],
    spatial_dim: 2,
    mode: 'constant',
    overlap: 0.25,
    sw_batch_size: 3,
    padding_mode: 'constant',
    cval: -0.5,
    seed: 14,
    fixed: true,
  },
  {
    what: 'an axial 2D model after Orientationd RAS and Spacingd: slices across S, which the file stores along i (i → S, j → L, k → P)',
    name: 'axis2-reoriented',
    shape: [9, 40, 36],
    roi: [24, 24],
    spatial_dim: 2,
    mode: 'gaussian',
    overlap: 0.25,
    sw_batch_size: 4,
    padding_mode: 'constant',
    cval: 0,
    seed: 15,
    affine: [
      [0, -0.9, 0, 30],
      [0, 0, -1.1, 50],
      [2.5, 0, 0, -10],
      [0, 0, 0, 1],
    ],
    pixdim: [1.2, 1.2, 3],
  },
  {
    what: 'a channels-last export ([N, h, w, 1] → [N, h, w, 4], as tf2onnx writes a Keras model), slices across the first axis',
    name: 'axis0-channels-last',
    shape: [5, 30, 26],
    roi: [16, 16],
    spatial_dim: 0,
    mode: 'gaussian',
    overlap: 0.25,
    sw_batch_size: 8,
    padding_mode: 'constant',
    cval: 0,
    seed: 16,
    channels_last: true,
  },
  {
    what: 'the model zoo’s ventricular_short_axis_3label configs as published, a fixed [1, 1, 256, 256] export, a 200×180×8 stack smaller than the ROI',
    name: 'ventricular-zoo',
    shape: [200, 180, 8],
    roi: [256, 256],
    spatial_dim: 2,
    mode: 'constant',
    overlap: 0.25,
    sw_batch_size: 1,
    padding_mode: 'constant',
    cval: 0,
    seed: 17,
    fixed: true,
    configs: ventricularConfigs,
    // onnxruntime's InstanceNormalization over a 256×256 slice is itself 4.5e-4 off float64 on this window (torch's
    // float32 1e-6; the convolution before it 2e-7): measured in isolation, the whole network then 1.2e-3 in logits.
    tolerance: 2e-3,
  },
  {
    what: 'two sequences as two input channels (the second stacked on the first’s grid), reflect padding (k smaller than the ROI)',
    name: 'axis1-two-channels',
    shape: [24, 30, 7],
    roi: [16, 16],
    spatial_dim: 1,
    mode: 'gaussian',
    overlap: 0.25,
    sw_batch_size: 4,
    padding_mode: 'reflect',
    cval: 0,
    seed: 18,
    channels: 2,
  },
];

const folder = mkdtempSync(join(tmpdir(), 'axial-slice-bundle-'));
let written: Map<string, Written>;

beforeAll(() => {
  const stdout = execFileSync('/usr/bin/python3', [script, folder, JSON.stringify(cases)], { encoding: 'utf8', timeout: 120_000 });
  written = new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Written)
      .map((w) => [w.name, w]),
  );
}, 150_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** MONAI's [X, Y, Z] C order (Z fastest) index of voxel (i, j, k). */
const monaiIndex = (shape: readonly number[], i: number, j: number, k: number): number => (i * shape[1]! + j) * shape[2]! + k;

describe('a generated 2D-network bundle (SliceInferer) against MONAI’s pipeline written out in torch', () => {
  it.each(cases)('$name: $what', async (c) => {
    const files = written.get(c.name)!;
    const spec = await loadModelSpec(files.bundle);
    expect(spec.unsupported).toEqual([]);
    const roi = [...c.roi] as number[];
    roi.splice(c.spatial_dim, 0, 1);
    expect(spec.inferer).toMatchObject({ roiSize: roi, sliceAxis: c.spatial_dim, mode: c.mode, overlap: c.overlap, paddingMode: c.padding_mode, cval: c.cval });
    const { volume } = await readNifti(files.image);
    expect(volume.dimensions).toEqual(c.shape);
    const runner = await createOnnxRunner(spec.modelPath, 'cpu', spec);
    try {
      expect(runner.fixedBatch).toBe(c.fixed ? 1 : null);
      expect(runner.layout).toBe(c.channels_last ? 'channels-last' : 'channels-first');
      // The CPU provider's load-time rewrites apply to the 2D network: its ConvTranspose2d and its three one-slope PReLUs.
      expect(runner.graphRewrite).toMatchObject({ rewritten: 1, leakyRelus: 3, reason: null });
      const net = files.network_shape;
      const [ni, nj, nk] = net;
      const reference = new Float32Array(readFileSync(files.probabilities).buffer.slice(0));
      const referenceLabels = readFileSync(files.labels);
      // The softmax probabilities of Axial's sliding window, planes of k: C × (I × J), i fastest.
      const second = files.images[1] === undefined ? undefined : (await readNifti(files.images[1])).volume;
      const channelImages = second && [
        { name: 'cine', volume, source: files.image },
        { name: 'lge', volume: second, source: files.images[1]! },
      ];
      const { image, channels } = preprocessVolume(volume, spec.preprocessing, spec.modelPath, second ? [Float32Array.from(second.voxels)] : []);
      expect(image.dimensions).toEqual(net);
      // Several channels slide as segmentVolume slides them: a map of voxel numbers, each patch gathered from every channel.
      const gathered =
        channels.length > 1
          ? channelWindows(
              channels.map((c) => transposeToKFastest(c, image.dimensions)),
              spec.inferer.cval,
              runner.runBatch,
            )
          : undefined;
      let maxDifference = 0;
      let planes = 0;
      let patches = 0;
      await slidingWindowInference({
        dimensions: image.dimensions,
        data: gathered?.data ?? transposeToKFastest(image.data, image.dimensions),
        layout: 'k-fastest',
        spec: gathered ? { ...spec.inferer, cval: 0 } : spec.inferer,
        channels: 4,
        activation: 'softmax',
        runBatch: (input, count, window) => {
          patches += count;
          return (gathered?.runBatch ?? runner.runBatch)(input, count, window);
        },
        onPlane: (k, plane) => {
          planes++;
          for (let ch = 0; ch < 4; ch++) {
            for (let j = 0; j < nj; j++) {
              for (let i = 0; i < ni; i++) {
                const ours = plane[ch * ni * nj + i + ni * j]!;
                const theirs = reference[ch * ni * nj * nk + monaiIndex(net, i, j, k)]!;
                maxDifference = Math.max(maxDifference, Math.abs(ours - theirs));
              }
            }
          }
        },
      });
      expect(planes).toBe(nk);
      // One window per slice along the slice axis, times the in-plane grid.
      const inPlane = net.filter((_, a) => a !== c.spatial_dim);
      const windows = inPlane.map((n, a) => (n <= c.roi[a]! ? 1 : Math.ceil((n - c.roi[a]!) / Math.max(1, Math.trunc(c.roi[a]! * (1 - c.overlap)))) + 1));
      expect(patches).toBe(net[c.spatial_dim] * windows[0]! * windows[1]!);
      expect(maxDifference).toBeLessThan(c.tolerance ?? 1e-4);
      // The whole pipeline (softmax, Invertd, argmax) gives MONAI's labels on every voxel.
      const { labels } = await segmentVolume({ volume, spec, runBatch: runner.runBatch, ...(channelImages ? { channels: channelImages } : {}) });
      let differing = 0;
      let unexplained = 0;
      const counts = [0, 0, 0, 0];
      const [si, sj, sk] = c.shape;
      for (let k = 0; k < sk; k++) {
        for (let j = 0; j < sj; j++) {
          for (let i = 0; i < si; i++) {
            const ours = labels.voxels[i + si * (j + sj * k)]!;
            counts[ours]!++;
            if (ours === referenceLabels[monaiIndex(c.shape, i, j, k)]) continue;
            differing++;
            // Only a class that MONAI's probabilities put within the network's own error of the winner may change.
            const p = [0, 1, 2, 3].map((ch) => reference[ch * si * sj * sk + monaiIndex(c.shape, i, j, k)]!).sort((a, b) => b - a);
            if (c.tolerance === undefined || c.pixdim !== undefined || p[0]! - p[1]! > 2 * c.tolerance) unexplained++;
          }
        }
      }
      expect(unexplained).toBe(0);
      expect(differing).toBeLessThanOrEqual(labels.voxels.length / 1000);
      // The other stores of the weighted sums, over windows one slice thick: the leaders store and the plain
      // computation give the same labels; half-precision sums the same on all but 0.1 % at most (0 on these phantoms).
      for (const precision of ['leaders', 'reference', 'float16'] as const) {
        const run = { volume, spec, runBatch: runner.runBatch, precision, ...(channelImages ? { channels: channelImages } : {}) };
        const other = (await segmentVolume(run)).labels.voxels;
        const changed = other.filter((v, n) => v !== labels.voxels[n]).length;
        expect(changed).toBeLessThanOrEqual(precision === 'float16' ? labels.voxels.length / 1000 : 0);
      }
      // More than one class on the phantom, so equal labels say something.
      expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    } finally {
      await runner.release();
    }
  });

  it('runs through `axial segment` (the inference process) to MONAI’s labels, slices across the first axis', async () => {
    const c = cases[1]!;
    const files = written.get(c.name)!;
    const output = join(folder, 'axis0-labels.nii.gz');
    const out: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: () => undefined };
    const code = await runSegment(['--model', files.bundle, files.image, output, '--device', 'cpu', '--json'], io, {
      progress: { isTTY: false, write: () => undefined },
    });
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n')) as CaseSummary).toMatchObject({ status: 'ok', provider: 'cpu', warnings: [] });
    const { volume } = await readNifti(output);
    const reference = readFileSync(files.labels);
    const [ni, nj, nk] = c.shape;
    let differing = 0;
    for (let k = 0; k < nk; k++) {
      for (let j = 0; j < nj; j++) {
        for (let i = 0; i < ni; i++) if (volume.voxels[i + ni * (j + nj * k)] !== reference[monaiIndex(c.shape, i, j, k)]) differing++;
      }
    }
    expect(differing).toBe(0);
  });
});
