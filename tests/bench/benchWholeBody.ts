import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readNifti } from '../../main/nifti/readNifti.js';
import type { VoxelArray } from '../../main/volume/Volume.js';
import { debianPython } from '../python.js';
import { repoRoot } from '../repoRoot.js';
import type { Precision, SegmentWholeBodyReport } from './segmentWholeBody.js';
import { writeBenchReport } from './writeBenchReport.js';
import { describeCpu } from './describeCpu.js';

/**
 * The many-class benchmark (issue 15): a generated 105-class bundle (a 1×1×1 network, so the network is cheap and the
 * pipeline's cost shows) on a generated whole-body CT, 512×512×500 int16 at 0.8×0.8×1.5 mm, LPS
 * (tests/fixtures/makeWholeBodyBundle.py, written at bench time into a temporary folder).
 *
 * Per case, fresh processes, each under `/usr/bin/time -f '%e %M'`:
 * - the product path: `axial segment --model <bundle> <ct> <out> --device cpu --json` (its default precision, 'auto';
 *   the model runs in the CLI's inference child, so the peak is given for the largest process and as the sum of
 *   every process's peak, read from each process on exit through tests/reportPeakMemory);
 * - the same precision in-process with the network on the window's own thread (segmentWholeBody --network-here), as
 *   before the inference worker: what running the network beside the sliding window saves, in the same run;
 * - a comparison path: segmentVolume in-process (tests/bench/segmentWholeBody.ts) with `precision` 'float32' on the
 *   whole-body case, 'reference' (the plain full computation) on a 256×256×200 case, where it takes minutes, not
 *   twenty.
 * Labels are compared with the analytic truth (voxels equal, mean Dice over the classes the truth holds, mismatches
 * away from any boundary) and with each other. Prints a JSON line per run and writes bench-results/many-class.md.
 *
 *     node dist/tests/bench/benchWholeBody.js [--cases small,full] [--full-reference] [--logits linear|centred] [--out <file>]
 *
 * `--logits centred` generates the bundle whose logits have S x² subtracted from every class (the same softmax and
 * argmax, leading logits near 0; see the generator); `--out` writes the markdown elsewhere than bench-results/many-class.md.
 * `--cases tiny` runs a 128×128×100 case only, in seconds: a check of the harness, not a benchmark.
 *
 * `--full-reference` adds the reference path on the whole-body case (the issue measured about 1200 s for it).
 */

const TIME = '/usr/bin/time';
const GENERATOR = join(repoRoot, 'tests', 'fixtures', 'makeWholeBodyBundle.py');
const CHILD = join(repoRoot, 'dist', 'tests', 'bench', 'segmentWholeBody.js');
const CLI = join(repoRoot, 'dist', 'main', 'cli', 'axial.js');
const PEAK_REPORTER = join(repoRoot, 'dist', 'tests', 'reportPeakMemory.js');
const TREE_SAMPLER = join(repoRoot, 'dist', 'tests', 'bench', 'sampleTreeRss.js');
/** The issue's goals. */
const RSS_GOAL_MIB = 2.5 * 1024;
const OUTSIDE_GOAL = 0.25;
const AGREEMENT_GOAL = 0.999;
/** A mismatch farther than this (in voxels, per axis) from every truth boundary means misplaced geometry, not partial volume. */
const BOUNDARY_REACH = 2;

interface BenchCase {
  readonly name: 'tiny' | 'small' | 'full';
  readonly shape: readonly [number, number, number];
  /** The in-process precisions compared with the product path. */
  readonly compare: readonly Precision[];
}

interface Generated {
  readonly bundle: string;
  readonly ct: string;
  readonly truth: string;
  readonly shape: readonly number[];
  readonly spacing: readonly number[];
  readonly classesPresent: number;
}

interface Timed {
  readonly wall: number;
  /** GNU time's %M: the largest process of the run, MiB. */
  readonly peakMiB: number;
  /** Each Node process's own peak (command and inference child), MiB; their sum bounds what the run held at once. */
  readonly processPeaksMiB: readonly number[];
  /** The peak of every process's resident memory summed, sampled every 50 ms (sampleTreeRss): what the run held at once. */
  readonly treePeakMiB: number;
  readonly stdout: string;
}

interface Stages {
  readonly load?: number;
  readonly preprocess: number;
  readonly inference: number;
  readonly network: number;
  readonly postprocess: number;
}

interface Accuracy {
  readonly equal: number;
  readonly meanDice: number;
  readonly minDice: number;
  readonly classes: number;
  /** Mismatched voxels more than BOUNDARY_REACH voxels from every truth boundary. */
  readonly farMismatches: number;
}

interface RunResult {
  readonly case: string;
  readonly path: string;
  readonly precision: Precision;
  readonly provider: string;
  readonly timed: Timed;
  readonly seconds: Stages;
  readonly windows: number | null;
  /** Patches the network ran (in-process runs): more than `windows` when the run went again (a leaders store that could not decide). */
  readonly patches: number | null;
  readonly accuracy: Accuracy;
}

interface Agreement {
  readonly case: string;
  readonly against: Precision;
  /** Against the in-process run with the network on the window's own thread (--network-here). */
  readonly networkHere?: boolean;
  readonly equal: number;
  readonly differing: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const casesArg = args.includes('--cases') ? args[args.indexOf('--cases') + 1] : 'small,full';
  const fullReference = args.includes('--full-reference');
  const logits = args.includes('--logits') ? args[args.indexOf('--logits') + 1]! : 'linear';
  if (logits !== 'linear' && logits !== 'centred') throw new Error(`--logits takes linear or centred, got "${logits}"`);
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1]! : join(repoRoot, 'bench-results', 'many-class.md');
  for (const needed of [TIME, debianPython, CHILD, CLI, PEAK_REPORTER]) {
    if (!existsSync(needed)) throw new Error(`bench:wholebody needs ${needed} (Debian: time, python3-torch, python3-nibabel; build with npx tsc -b)`);
  }
  const cases: BenchCase[] = [];
  // A seconds-long smoke test of the harness itself; not in the default run.
  if (casesArg?.split(',').includes('tiny')) cases.push({ name: 'tiny', shape: [128, 128, 100], compare: ['float32', 'reference'] });
  // 'auto' in-process as well: its count of network runs shows whether the leaders store had to run again.
  if (casesArg?.split(',').includes('small')) cases.push({ name: 'small', shape: [256, 256, 200], compare: ['auto', 'reference'] });
  if (casesArg?.split(',').includes('full'))
    cases.push({ name: 'full', shape: [512, 512, 500], compare: fullReference ? ['float32', 'reference'] : ['float32'] });
  if (cases.length === 0) throw new Error(`--cases takes tiny, small, full or several, got "${casesArg}"`);
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'axial-bench-wholebody-'));
  const runs: RunResult[] = [];
  const agreements: Agreement[] = [];
  const generated: Record<string, Generated> = {};
  try {
    for (const c of cases) {
      progress(`${c.name}: generating ${c.shape.join('×')} CT, its truth and the 105-class bundle`);
      const data = generate(join(dir, c.name), c.shape, logits);
      generated[c.name] = data;
      const truth = (await readNifti(data.truth)).volume.voxels;
      progress(`${c.name}: axial segment (product path)`);
      const product = await runCli(c.name, data, join(dir, c.name, 'labels-cli.nii.gz'), truth);
      runs.push(product.result);
      // The product's precision with the network on the window's own thread, as before the worker: the overlap's gain, in the same run.
      progress(`${c.name}: segmentVolume in-process, the network on the same thread`);
      const here = runChild(c.name, data, 'auto', join(dir, c.name, 'labels-here.u8'), truth, true);
      runs.push(here.result);
      agreements.push({ case: c.name, against: 'auto', networkHere: true, ...agree(product.labels, here.labels) });
      for (const precision of c.compare) {
        progress(`${c.name}: segmentVolume in-process, precision ${precision}`);
        const other = runChild(c.name, data, precision, join(dir, c.name, `labels-${precision}.u8`), truth);
        runs.push(other.result);
        const agreement = agree(product.labels, other.labels);
        agreements.push({ case: c.name, against: precision, ...agreement });
        process.stdout.write(`${JSON.stringify({ case: c.name, agreement: `auto vs ${precision}`, ...agreement })}\n`);
      }
    }
    const markdown = formatReport(runs, agreements, generated, logits, loadBefore, loadavg());
    // The runs before stay under Earlier runs (each session's figures are quoted in the README).
    writeBenchReport(out, markdown);
    process.stderr.write(`\n${markdown}`);
    progress(`wrote ${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function progress(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function generate(folder: string, shape: readonly number[], logits: string): Generated {
  const args = [GENERATOR, folder, '--shape', ...shape.map(String), '--logits', logits];
  const out = execFileSync(debianPython, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Generated;
}

/**
 * Runs `node <args>` under GNU time, with every Node process it starts reporting its own peak RSS on exit. GNU time's
 * report goes to a file so the command's stderr cannot mix in; the command's stderr is passed through (progress).
 */
function timedNode(args: readonly string[]): Timed {
  const work = mkdtempSync(join(tmpdir(), 'axial-bench-time-'));
  const timeReport = join(work, 'time.txt');
  const peaks = join(work, 'peaks.txt');
  const treePeak = join(work, 'tree-peak.txt');
  try {
    const env = { ...process.env, NODE_OPTIONS: `--import=${pathToFileURL(PEAK_REPORTER).href}`, AXIAL_PEAK_REPORT: peaks };
    const run = spawnSync(TIME, ['-f', '%e %M', '-o', timeReport, process.execPath, TREE_SAMPLER, treePeak, process.execPath, ...args], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 << 20,
    });
    if (run.status !== 0) throw new Error(`node ${args.slice(0, 2).join(' ')} exited with ${run.status}${run.signal ? ` (${run.signal})` : ''}`);
    const [wall, peakKiB] = readFileSync(timeReport, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    // One line per exiting process or worker thread; a worker reports its process's pid and peak again, so each pid counts once.
    const byPid = new Map<string, number>();
    if (existsSync(peaks)) {
      for (const line of readFileSync(peaks, 'utf8').trim().split('\n')) {
        const [pid, kib] = line.split(' ');
        byPid.set(pid!, Math.max(byPid.get(pid!) ?? 0, Number(kib) / 1024));
      }
    }
    const [treePeakKiB, samplerPid] = readFileSync(treePeak, 'utf8').trim().split(' ');
    byPid.delete(samplerPid!);
    const processPeaksMiB = [...byPid.values()];
    const treePeakMiB = Number(treePeakKiB) / 1024;
    return { wall: wall!, peakMiB: peakKiB! / 1024, processPeaksMiB, treePeakMiB, stdout: run.stdout };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface CliSummary {
  readonly status: string;
  readonly provider: string;
  readonly seconds: Stages & { readonly loadInput: number; readonly total: number };
}

async function runCli(name: string, data: Generated, output: string, truth: VoxelArray): Promise<{ result: RunResult; labels: VoxelArray }> {
  const timed = timedNode([CLI, 'segment', '--model', data.bundle, data.ct, output, '--device', 'cpu', '--json']);
  const summary = JSON.parse(timed.stdout) as CliSummary;
  const labels = (await readNifti(output)).volume.voxels;
  rmSync(output);
  const s = summary.seconds;
  const result: RunResult = {
    case: name,
    path: 'axial segment (CLI, inference child)',
    precision: 'auto',
    provider: summary.provider,
    timed,
    seconds: { load: s.loadInput, preprocess: s.preprocess, inference: s.inference, network: s.network, postprocess: s.postprocess },
    windows: null,
    patches: null,
    accuracy: accuracy(labels, truth, data.shape),
  };
  report(result);
  return { result, labels };
}

function runChild(
  name: string,
  data: Generated,
  precision: Precision,
  labelsFile: string,
  truth: VoxelArray,
  networkHere = false,
): { result: RunResult; labels: VoxelArray } {
  const timed = timedNode([CHILD, data.bundle, data.ct, precision, labelsFile, ...(networkHere ? ['--network-here'] : [])]);
  const child = JSON.parse(timed.stdout.trim().split('\n').pop()!) as SegmentWholeBodyReport;
  const bytes = readFileSync(labelsFile);
  rmSync(labelsFile);
  const labels = child.labelType === 'uint16' ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2) : new Uint8Array(bytes);
  const result: RunResult = {
    case: name,
    path: networkHere ? 'segmentVolume in-process, the network on the same thread' : 'segmentVolume in-process',
    precision,
    provider: child.provider,
    timed,
    seconds: child.seconds,
    windows: child.windows,
    patches: child.patches,
    accuracy: accuracy(labels, truth, data.shape),
  };
  report(result);
  return { result, labels };
}

function report(result: RunResult): void {
  const { timed, ...rest } = result;
  const { wall, peakMiB, processPeaksMiB, treePeakMiB } = timed;
  process.stdout.write(`${JSON.stringify({ ...rest, wall, peakMiB, processPeaksMiB, treePeakMiB })}\n`);
}

function accuracy(labels: VoxelArray, truth: VoxelArray, shape: readonly number[]): Accuracy {
  if (labels.length !== truth.length) throw new Error(`the labels have ${labels.length} voxels, the truth ${truth.length}`);
  const size = 1 << 16;
  const both = new Float64Array(size);
  const inTruth = new Float64Array(size);
  const inLabels = new Float64Array(size);
  let equal = 0;
  let farMismatches = 0;
  for (let n = 0; n < truth.length; n++) {
    const t = truth[n]!;
    const l = labels[n]!;
    inTruth[t]!++;
    inLabels[l]!++;
    if (t === l) {
      both[t]!++;
      equal++;
    } else if (farFromBoundary(truth, shape, n)) farMismatches++;
  }
  const dice: number[] = [];
  for (let c = 0; c < size; c++) if (inTruth[c]! > 0) dice.push((2 * both[c]!) / (inTruth[c]! + inLabels[c]!));
  return {
    equal: equal / truth.length,
    meanDice: dice.reduce((a, b) => a + b, 0) / dice.length,
    minDice: Math.min(...dice),
    classes: dice.length,
    farMismatches,
  };
}

/** Whether every truth voxel within BOUNDARY_REACH (per axis) of voxel n holds n's class. */
function farFromBoundary(truth: VoxelArray, shape: readonly number[], n: number): boolean {
  const [nx, ny, nz] = shape as [number, number, number];
  const i = n % nx;
  const j = Math.floor(n / nx) % ny;
  const k = Math.floor(n / (nx * ny));
  const t = truth[n];
  for (let c = Math.max(0, k - BOUNDARY_REACH); c <= Math.min(nz - 1, k + BOUNDARY_REACH); c++) {
    for (let b = Math.max(0, j - BOUNDARY_REACH); b <= Math.min(ny - 1, j + BOUNDARY_REACH); b++) {
      const row = (c * ny + b) * nx;
      for (let a = Math.max(0, i - BOUNDARY_REACH); a <= Math.min(nx - 1, i + BOUNDARY_REACH); a++) if (truth[row + a] !== t) return false;
    }
  }
  return true;
}

function agree(a: VoxelArray, b: VoxelArray): { equal: number; differing: number } {
  if (a.length !== b.length) throw new Error(`label maps of ${a.length} and ${b.length} voxels`);
  let differing = 0;
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) differing++;
  return { equal: 1 - differing / a.length, differing };
}

function pass(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

const percent = (v: number, digits = 1): string => `${(v * 100).toFixed(digits)} %`;
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function outsideShare(run: RunResult): number {
  return 1 - run.seconds.network / run.timed.wall;
}

function formatReport(
  runs: readonly RunResult[],
  agreements: readonly Agreement[],
  generated: Readonly<Record<string, Generated>>,
  logits: string,
  loadBefore: readonly number[],
  loadAfter: readonly number[],
): string {
  const row = (r: RunResult): string => {
    const s = r.seconds;
    const segment = s.preprocess + s.inference + s.postprocess;
    const count = r.timed.processPeaksMiB.length;
    const peaks =
      count > 1 ? ` (sum of ${count} processes' peaks ${sum(r.timed.processPeaksMiB).toFixed(0)}; summed, sampled ${r.timed.treePeakMiB.toFixed(0)})` : '';
    return (
      `| ${r.case} | ${r.path} | ${r.precision} | ${r.timed.wall.toFixed(1)} | ${r.timed.peakMiB.toFixed(0)}${peaks} ` +
      `| ${(s.load ?? 0).toFixed(1)} / ${s.preprocess.toFixed(1)} / ${(s.inference - s.network).toFixed(1)} / ${s.postprocess.toFixed(1)} ` +
      `| ${s.network.toFixed(1)} | ${percent(outsideShare(r))} (${percent(1 - s.network / segment)}) ` +
      `| ${percent(r.accuracy.equal, 2)} | ${r.accuracy.meanDice.toFixed(4)} (min ${r.accuracy.minDice.toFixed(3)}, ${r.accuracy.classes} classes) ` +
      `| ${r.accuracy.farMismatches} | ${r.patches === null ? '–' : `${r.patches} / ${r.windows}`} |`
    );
  };
  const product = runs.find((r) => r.case === 'full' && r.path.startsWith('axial')) ?? runs.find((r) => r.path.startsWith('axial'));
  const here = runs.find((r) => r.case === product?.case && r.path.endsWith('same thread'));
  const goals: string[] = [];
  if (product) {
    const peaksSummed = sum(product.timed.processPeaksMiB) || product.timed.peakMiB;
    const rss = product.timed.treePeakMiB;
    goals.push(
      `| peak RSS ≤ ${(RSS_GOAL_MIB / 1024).toFixed(1)} GiB (${product.case}) | every process's resident memory summed, sampled every 50 ms: ` +
        `peak ${rss.toFixed(0)} MiB (largest process ${product.timed.peakMiB.toFixed(0)} MiB; each process's own peak summed, ` +
        `though they came at different times, ${peaksSummed.toFixed(0)} MiB) | ${pass(rss <= RSS_GOAL_MIB)} |`,
      `| time outside the network ≤ ${percent(OUTSIDE_GOAL, 0)} of the run (${product.case}) | ${percent(outsideShare(product))} of ` +
        `${product.timed.wall.toFixed(1)} s wall (${product.seconds.network.toFixed(1)} s in the network)` +
        (here
          ? `; with the network on the window's own thread, as before, ${percent(outsideShare(here))} of ${here.timed.wall.toFixed(1)} s ` +
            `(${here.seconds.network.toFixed(1)} s in the network)`
          : '') +
        ` | ${pass(outsideShare(product) <= OUTSIDE_GOAL)} |`,
    );
  }
  for (const a of agreements.filter((x) => x.against !== 'auto')) {
    goals.push(
      `| labels equal to the ${a.against} path on ≥ ${percent(AGREEMENT_GOAL)} of voxels (${a.case}) | ${percent(a.equal, 4)} (${a.differing} voxels differ) ` +
        `| ${pass(a.equal >= AGREEMENT_GOAL)} |`,
    );
  }
  const ortPackage = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')) as { version: string };
  const load = (l: readonly number[]): string => l.map((v) => v.toFixed(2)).join(' ');
  const caseLines = Object.entries(generated).map(([name, g]) => {
    const windows = runs.find((r) => r.case === name && r.windows !== null)?.windows;
    const grid = `${name}: ${g.shape.join('×')} int16 at ${g.spacing.join('×')} mm, LPS`;
    return `${grid}; ${g.classesPresent} of 105 classes in the truth${windows ? `; ${windows} windows` : ''}`;
  });
  return [
    '# Many-class segmentation benchmark',
    '',
    "A generated 105-class MONAI bundle shaped like the model zoo's wholeBody_ct_segmentation (Orientationd RAS, Spacingd 1.5 mm " +
      'bilinear, NormalizeIntensityd nonzero, ScaleIntensityd −1..1; ROI 96³, overlap 0.25, gaussian, replicate; softmax, Invertd ' +
      'interpolating probabilities, argmax) whose network is a 1×1×1 convolution making each class win over one intensity band ' +
      `(${logits === 'centred' ? 'logits centred: S x² subtracted from every class, leading logits near 0' : 'plain linear logits, up to about 10⁴'}), on ` +
      'generated CTs with their analytic truth (tests/fixtures/makeWholeBodyBundle.py). Every row is one fresh process under ' +
      "`/usr/bin/time`; the product path is `axial segment` with its default precision ('auto': for softmax then argmax over " +
      "16 classes or more, the leaders store, which keeps per voxel only the classes within 50 logits of some window's best and " +
      'runs again with dense sums where it cannot decide; see main/segmentation/inference/leaderSums.ts). One run of each.',
    '',
    ...caseLines.map((line) => `- ${line}`),
    '',
    '| case | path | precision | wall s | peak RSS MiB | load / preprocess / sliding window and Invertd outside the network / postprocess s | network s ' +
      '| outside the network, of the wall (of segmentVolume) | voxels equal to the truth | mean Dice | mismatches off boundaries | patches run / windows |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(row),
    '',
    '| goal (issue 15) | figure | |',
    '|---|---|---|',
    ...goals,
    '',
    ...agreements
      .filter((a) => a.against === 'auto')
      .map(
        (a) =>
          `- \`axial segment\` against the same precision in-process${a.networkHere ? ', the network on the same thread' : ''} (${a.case}): ` +
          `${percent(a.equal, 4)} of voxels equal (${a.differing} differ).`,
      ),
    '- "patches run / windows": more patches than windows means the run went again (the leaders store could not decide a voxel, ' +
      'or half-precision sums overflowed); `axial segment` does not report it.',
    "- Network time is segmentVolume's: onnxruntime's runs on the inference worker thread (createOnnxRunnerInWorker), while " +
      "the process's own thread blends the window before (with the leaders store, a third thread sweeps each output into its " +
      'leaders and the process gets those lists, eight batches queued); what counts outside the network is the wall time during which no ' +
      "network ran. The row 'the network on the same thread' runs the session on the window's thread, as before the worker: " +
      "there everything in the sliding window (each window's leaders, the store, Invertd) waits for the network and counts outside it.",
    `- "mismatches off boundaries": mismatched voxels with no truth boundary within ${BOUNDARY_REACH} voxels along any axis; ` +
      'anything but 0 means misplaced geometry rather than partial volume at a boundary.',
    "- Peak RSS: `axial segment` runs the model in an inference child; the largest process is GNU time's figure; the goal " +
      "is judged on every process's resident memory summed and sampled every 50 ms (tests/bench/sampleTreeRss), what the run " +
      "held at once; the sum of each process's own peak, which came at different times, is given beside it.",
    '- No GPU machine was lent to this run; CPU only.',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${describeCpu()}; ONNX Runtime uses every core`,
    `- load average (1, 5, 15 min) before: ${load(loadBefore)}; after: ${load(loadAfter)}`,
    `- Node ${process.version}, onnxruntime-node ${ortPackage.version}`,
    '',
  ].join('\n');
}

await main();
