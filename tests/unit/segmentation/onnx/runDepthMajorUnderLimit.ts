import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { seededRandom } from '../../../seededRandom.js';
import { identitySpec } from '../process/inferenceFixtures.js';
import { outputDifference } from './outputDifference.js';

/**
 * Runs one batch of a depth-major model with this process's address space capped at what it holds once the model
 * is open and the batch made, plus `headroom` MiB: room for the general form's 3D convolution, not for the depth
 * stacks. Then, uncapped, the same batch without any rewrite, for the answer. Built under dist/ and run by
 * rewriteDepthMajor.test.ts as `node runDepthMajorUnderLimit.js <model> <channels> <edge> <batch> <headroom MiB>`;
 * prints one JSON line: the warnings, the depth-major report after the run, the cap, and the largest difference from the plain run.
 */
async function main(): Promise<void> {
  const [model, channelsText, edgeText, batchText, headroomText] = process.argv.slice(2);
  const [channels, edge, batch, headroom] = [channelsText, edgeText, batchText, headroomText].map(Number) as [number, number, number, number];
  const spec = identitySpec({ modelPath: model!, roi: edge, outputChannels: channels });
  const shaped = { ...spec, input: { channels } };
  const warnings: string[] = [];
  const runner = await createOnnxRunner(model!, 'cpu', shaped, { onWarning: (w) => warnings.push(w) });
  const random = seededRandom(5);
  const input = Float32Array.from({ length: batch * channels * edge ** 3 }, () => random() * 2 - 1);
  const roi = [edge, edge, edge] as const;
  const heldKiB = Number(/VmSize:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
  const capBytes = heldKiB * 1024 + headroom * 2 ** 20;
  // The soft limit only ("N:"), so that it can be lifted again below.
  execFileSync('prlimit', ['--pid', String(process.pid), `--as=${capBytes}:`]);
  let capped: Float32Array;
  try {
    capped = (await runner.runBatch(input, batch, roi)).slice();
  } finally {
    execFileSync('prlimit', ['--pid', String(process.pid), '--as=unlimited:']);
  }
  const { depthMajor, depthMajorReason } = runner.graphRewrite;
  await runner.release();
  const plain = await createOnnxRunner(model!, 'cpu', shaped, { rewrite: false });
  const expected = await plain.runBatch(input, batch, roi);
  const { maxAbs, scale } = outputDifference(capped, expected);
  await plain.release();
  console.log(JSON.stringify({ warnings, depthMajor, depthMajorReason, capMiB: Math.round(capBytes / 2 ** 20), maxAbs, scale }));
}

await main();
