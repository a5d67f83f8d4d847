import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickPoint } from '../../main/segmentation/interactive/ClickPoint.js';
import { largestErrorClick } from '../../main/segmentation/interactive/largestErrorClick.js';
import { segmentWithClicks } from '../../main/segmentation/interactive/segmentWithClicks.js';
import { loadModelSpec } from '../../main/segmentation/loadModelSpec.js';
import { createOnnxRunner } from '../../main/segmentation/onnx/createOnnxRunner.js';
import type { RunBatch } from '../../main/segmentation/inference/slidingWindowInference.js';
import { debianPython } from '../python.js';
import { repoRoot } from '../repoRoot.js';
import { deepEditBundle, makeDeepEditPhantoms, organDice, type DeepEditPhantom } from '../unit/segmentation/interactive/deepeditPhantomCases.js';

/**
 * `node dist/tests/bench/benchClickSegment.js` (chained by `npm run bench:interactive`): click-to-preview latency of
 * segmentWithClicks with the demo DeepEdit bundle on the CPU, on a 128³-voxel ROI around the clicks and on the
 * whole scan, for 0.8 mm phantoms (225×200×150); the NoC curve (Dice after 0, 1, 3, 5 simulated clicks at the
 * largest error region's centre) on held-back phantoms of the training family and on the 0.8 mm ones in ROI mode;
 * and, in the same run, PyTorch timing the same network on the very inputs ONNX Runtime was fed.
 * Writes bench-results/click-segment.md.
 */

const CLICKS = 5;
const scratch = mkdtempSync(join(tmpdir(), 'axial-bench-click-'));

interface Timed {
  readonly total: number;
  readonly preprocess: number;
  readonly network: number;
  readonly postprocess: number;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const ms = (s: number): string => (s * 1000).toFixed(0);

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const spec = await loadModelSpec(deepEditBundle);
  const runner = await createOnnxRunner(spec.modelPath, 'cpu', spec);
  const captured: Float32Array[] = [];
  let capturedLogits: Float32Array = new Float32Array(0);
  const capturing: RunBatch = async (input, count, roi) => {
    const logits = await runner.runBatch(input, count, roi);
    if (captured.length < 10) {
      captured.push(input.slice());
      capturedLogits = logits.slice();
    }
    return logits;
  };
  const family = await makeDeepEditPhantoms(scratch, [61000, 61001, 61002, 61003, 61004, 61005, 61006, 61007]);
  mkdirSync(join(scratch, 'fine'));
  const fine = await makeDeepEditPhantoms(join(scratch, 'fine'), [61100, 61101, 61102], 0.8);
  const run = (p: DeepEditPhantom, points: readonly ClickPoint[], roi: 'scan' | 'clicks', runBatch: RunBatch = runner.runBatch) =>
    segmentWithClicks({ volume: p.volume, spec, runBatch, points, roi });
  await run(family[0]!, [{ kind: 'fg', world: family[0]!.organCentre }], 'scan');

  const latency = { clicks: [] as Timed[], scan: [] as Timed[] };
  const noc = { family: new Map<number, number[]>(), fineRoi: new Map<number, number[]>() };
  const record = (map: Map<number, number[]>, n: number, dice: number) => map.set(n, [...(map.get(n) ?? []), dice]);
  for (const p of fine) {
    const points: ClickPoint[] = [];
    for (let n = 0; n <= CLICKS; n++) {
      const roi = await run(p, points, 'clicks', n > 0 ? capturing : runner.runBatch);
      const scan = await run(p, points, 'scan');
      if (n > 0) {
        latency.clicks.push(roi.seconds);
        latency.scan.push(scan.seconds);
      }
      if ([0, 1, 3, 5].includes(n)) record(noc.fineRoi, n, organDice(p.truth, roi.labels.voxels));
      const next = largestErrorClick(p.volume, p.truth, n === 0 ? new Uint8Array(p.truth.length) : roi.labels.voxels);
      if (next) points.push(next);
    }
  }
  for (const p of family) {
    const points: ClickPoint[] = [];
    for (let n = 0; n <= CLICKS; n++) {
      const result = await run(p, points, 'scan');
      if ([0, 1, 3, 5].includes(n)) record(noc.family, n, organDice(p.truth, result.labels.voxels));
      const next = largestErrorClick(p.volume, p.truth, n === 0 ? new Uint8Array(p.truth.length) : result.labels.voxels);
      if (next) points.push(next);
    }
  }
  await runner.release();

  const reference = pytorchReference(captured, capturedLogits, cpus().length);
  const referenceOneThread = pytorchReference(captured, capturedLogits, 1);
  const loadAfter = loadavg();
  const report = {
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
    loadBefore,
    loadAfter,
    fineDimensions: fine[0]!.volume.dimensions,
    familyDimensions: family.map((p) => p.volume.dimensions.join('×')),
    latency,
    noc,
    reference,
    referenceOneThread,
  };
  writeFileSync(join(repoRoot, 'bench-results', 'click-segment.md'), markdown(report));
  console.log(markdown(report));
  rmSync(scratch, { recursive: true, force: true });
}

interface Reference {
  readonly seconds: number[];
  readonly threads: number;
  readonly inputs: number;
  readonly logitsMaxDiff: number;
}

/** PyTorch on the very inputs ONNX Runtime was fed (the first ten ROI clicks); the last one's logits compared. */
function pytorchReference(inputs: Float32Array[], lastOrtLogits: Float32Array, threads: number): Reference {
  const path = join(scratch, 'inputs.f32');
  const out = join(scratch, 'logits.f32');
  writeFileSync(path, Buffer.concat(inputs.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  const printed = execFileSync(
    debianPython,
    [join(repoRoot, 'tests/fixtures/deepeditTorchReference.py'), path, String(inputs.length), '64', String(threads), out],
    { encoding: 'utf8' },
  );
  const result = JSON.parse(printed.trim().split('\n').pop()!) as { seconds: number[]; threads: number };
  const bytes = readFileSync(out);
  const torch = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let logitsMaxDiff = torch.length === lastOrtLogits.length ? 0 : Number.NaN;
  for (let n = 0; n < torch.length && !Number.isNaN(logitsMaxDiff); n++) logitsMaxDiff = Math.max(logitsMaxDiff, Math.abs(torch[n]! - lastOrtLogits[n]!));
  return { ...result, inputs: inputs.length, logitsMaxDiff };
}

function markdown(r: {
  cpu: string;
  loadBefore: number[];
  loadAfter: number[];
  fineDimensions: readonly number[];
  familyDimensions: string[];
  latency: { clicks: Timed[]; scan: Timed[] };
  noc: { family: Map<number, number[]>; fineRoi: Map<number, number[]> };
  reference: Reference;
  referenceOneThread: Reference;
}): string {
  const p50 = (t: Timed[], key: keyof Timed): string =>
    ms(
      percentile(
        t.map((x) => x[key]),
        50,
      ),
    );
  const row = (name: string, t: Timed[]) =>
    `| ${name} | ${t.length} | ${p50(t, 'total')} | ${ms(
      percentile(
        t.map((x) => x.total),
        95,
      ),
    )} | ${p50(t, 'preprocess')} | ${p50(t, 'network')} | ${p50(t, 'postprocess')} |`;
  const curve = (m: Map<number, number[]>) => [0, 1, 3, 5].map((n) => mean(m.get(n) ?? [Number.NaN]).toFixed(3)).join(' | ');
  const torch = r.reference.seconds;
  const ortNetwork = r.latency.clicks.map((x) => x.network);
  return `# Click-to-segment (DeepEdit demo model, CPU)

\`node dist/tests/bench/benchClickSegment.js\`, ${new Date().toISOString().slice(0, 10)}, ${r.cpu}; load average
${r.loadBefore.map((l) => l.toFixed(1)).join('/')} before, ${r.loadAfter.map((l) => l.toFixed(1)).join('/')} after
(other agents share the machine). ONNX Runtime uses ${r.reference.threads} threads.

## Latency from click to preview (segmentWithClicks, network included)

Phantoms at 0.8 mm (${r.fineDimensions.join('×')} voxels); each of ${CLICKS} simulated clicks reruns the model.
The ROI is a 128³-voxel block around the clicks (goal ≤ 1 s); "whole scan" resizes the whole scan to the
network's 64³. Preview = the labels on the scan's grid.

| run | clicks | p50 ms | p95 ms | preprocess p50 | network p50 | postprocess p50 |
| --- | --- | --- | --- | --- | --- | --- |
${row('128³ ROI around the clicks', r.latency.clicks)}
${row('whole scan', r.latency.scan)}

Reference in the same run: PyTorch (Debian python3-torch) running the same network (models/demo-deepedit/models/model.pt)
on the first ${r.reference.inputs} ROI inputs ONNX Runtime was fed: median ${ms(percentile(torch, 50))} ms per forward with
${r.reference.threads} threads, ${ms(percentile(r.referenceOneThread.seconds, 50))} ms with 1, against ONNX Runtime's median
${ms(percentile(ortNetwork, 50))} ms; the last input's logits differ by at most ${r.reference.logitsMaxDiff.toExponential(2)}.

## NoC: Dice after simulated clicks

0 clicks is the automatic mode (zero guidance). The first click goes to the organ's deepest voxel (the largest
error region of an empty mask, where an annotator starts); each later one to the deepest voxel of the current
prediction's largest error region (missed organ → foreground click, extra → background click).

| phantoms | 0 clicks | 1 | 3 | 5 |
| --- | --- | --- | --- | --- |
| ${r.familyDimensions.length} held-back phantoms of the training family (whole scan; ${r.familyDimensions.join(', ')}) | ${curve(r.noc.family)} |
| ${r.latency.clicks.length / CLICKS} held-back 0.8 mm phantoms, 128³ ROI around the clicks | ${curve(r.noc.fineRoi)} |

The demo model was trained only on whole-scan 64³ resizes of 180×160×120 mm phantoms (about 2.8 mm per network
voxel); a 128³ ROI at 0.8 mm shows it objects about 1.8 times larger than it saw in training. DeepEdit bundles
train on the whole image resized (the spleen bundle's 128³ too), so the ROI trades accuracy for latency with them;
it suits a model trained on crops.
`;
}

await main();
