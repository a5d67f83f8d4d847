import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AxialError } from '../../main/errors/AxialError.js';
import { readNifti } from '../../main/nifti/readNifti.js';
import { loadModelSpec } from '../../main/segmentation/loadModelSpec.js';
import { createOnnxRunner } from '../../main/segmentation/onnx/createOnnxRunner.js';
import { usesLeaderStore } from '../../main/segmentation/usesLeaderStore.js';
import { createOnnxRunnerInWorker } from '../../main/segmentation/onnx/createOnnxRunnerInWorker.js';
import { segmentVolume, type SegmentationResult, type SegmentVolumeParams } from '../../main/segmentation/segmentVolume.js';

/**
 * One in-process segmentation for the many-class benchmark (`benchWholeBody`): reads a NIfTI CT with Axial's reader,
 * runs a bundle through segmentVolume on the CPU with the given `precision`, writes the labels' raw bytes (the CT's
 * own voxel order) to `<labels file>` and prints one JSON line. The benchmark runs it as a fresh process under
 * `/usr/bin/time`, so its peak RSS is this run's alone.
 *
 *     node dist/tests/bench/segmentWholeBody.js <bundle> <ct.nii.gz> <auto|float16|float32|reference> <labels file> [--network-here]
 *
 * By default the network runs on a worker thread, as in the inference process; `--network-here` runs it on this
 * thread, as before (the same labels; the time it takes is what the overlap saves).
 */

export const precisions = ['auto', 'leaders', 'float16', 'float32', 'reference'] as const;
export type Precision = (typeof precisions)[number];

/** What a run prints. */
export interface SegmentWholeBodyReport {
  readonly precision: Precision;
  readonly provider: string;
  readonly seconds: SegmentationResult['seconds'] & { readonly load: number };
  readonly windows: number;
  /** Patches the network ran: more than `windows` when the run went again. */
  readonly patches: number;
  readonly dimensions: readonly number[];
  readonly spacing: readonly number[];
  readonly labelType: string;
  readonly labelsFile: string;
}

async function run(bundle: string, ct: string, precision: Precision, labelsFile: string, networkHere: boolean): Promise<SegmentWholeBodyReport> {
  const loadStart = performance.now();
  const { volume } = await readNifti(ct);
  const load = (performance.now() - loadStart) / 1000;
  const spec = await loadModelSpec(bundle);
  // The inference process's runner (the network on a worker thread, overlapping the sliding window's own work), or
  // with --network-here the session on this thread, each window waiting for the network and the network for it.
  const inWorker = networkHere
    ? undefined
    : await createOnnxRunnerInWorker(spec.modelPath, 'cpu', spec, { leadersTail: usesLeaderStore(spec, precision) ? 'auto' : undefined });
  const runner = inWorker ?? (await createOnnxRunner(spec.modelPath, 'cpu', spec));
  let windows = 0;
  let reported = 0;
  // More patches than windows: the run went again (a leaders store that could not decide, or half sums that overflowed).
  let patches = 0;
  try {
    const params: SegmentVolumeParams = {
      volume,
      // As the inference process does (this run stands for it), unless it stands for the code before the worker.
      releaseVoxels: inWorker !== undefined,
      spec,
      runBatch: (input, count, roi) => {
        patches += count;
        return runner.runBatch(input, count, roi);
      },
      // The many-class path's batches go to the runner's leaders sweep: counted there.
      ...(inWorker
        ? {
            overlapping: {
              ...inWorker,
              leaders: {
                ahead: inWorker.leaders.ahead,
                run: (input, count, roi, channels) => {
                  patches += count;
                  return inWorker.leaders.run(input, count, roi, channels);
                },
              },
            },
          }
        : {}),
      precision,
      onProgress: (done: number, total: number) => {
        windows = total;
        // A line per tenth, so a run of many minutes shows it is alive.
        if (done * 10 >= (reported + 1) * total) {
          reported = Math.floor((done * 10) / total);
          process.stderr.write(`  ${precision}: ${done}/${total} windows\n`);
        }
      },
    };
    const result = await segmentVolume(params);
    const voxels = result.labels.voxels;
    writeFileSync(labelsFile, new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength));
    return {
      precision,
      provider: runner.provider,
      seconds: { ...result.seconds, load },
      windows,
      patches,
      dimensions: [...volume.dimensions],
      spacing: [...volume.spacing],
      labelType: result.labels.dataType,
      labelsFile,
    };
  } finally {
    await runner.release();
  }
}

const [bundle, ct, precision, labelsFile, where] = process.argv.slice(2);
if (
  bundle === undefined ||
  ct === undefined ||
  labelsFile === undefined ||
  !precisions.includes(precision as Precision) ||
  ![undefined, '--network-here'].includes(where)
) {
  process.stderr.write(
    'usage: node dist/tests/bench/segmentWholeBody.js <bundle> <ct.nii.gz> <auto|float16|float32|reference> <labels file> [--network-here]\n',
  );
  process.exitCode = 2;
} else {
  try {
    const report = await run(resolve(bundle), resolve(ct), precision as Precision, resolve(labelsFile), where === '--network-here');
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (error) {
    const code = error instanceof AxialError ? `${error.code}: ` : '';
    process.stderr.write(`${code}${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
