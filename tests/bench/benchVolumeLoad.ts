import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot.js';

/**
 * `npm run bench`: times Axial's volume loading against public tools on the
 * same machine in the same run, and writes the table to bench-results/volume-load.md.
 *
 * Every figure comes from GNU time (`%e` wall seconds, `%M` peak RSS in KiB)
 * around a fresh process, so Axial pays its Node start-up like the tools pay theirs.
 * Runs alternate A/B (and swap order every pair) so drift hits both sides alike.
 */

const RUNS = 5;
const WARM_UPS = 1;
const TIME = '/usr/bin/time';
const PYTHON = '/usr/bin/python3';
/** The issue's memory goal: peak RSS under twice the volume's stored bytes. */
const MEMORY_GOAL = 2;

interface BenchData {
  readonly seriesRaw: string;
  readonly seriesJ2k: string;
  readonly nifti: string;
}

interface BenchCase {
  readonly name: string;
  readonly axialInput: string;
  readonly referenceLabel: string;
  readonly reference: () => string[];
  /** Most axial/reference time ratio allowed; undefined where the issue sets no time goal. */
  readonly maxRatio: number | undefined;
}

interface Timing {
  readonly seconds: number;
  readonly peakKiB: number;
  readonly stdout: string;
}

interface AxialReport {
  readonly seconds: number;
  readonly breakdown: { readonly node: number; readonly modules: number; readonly scan: number; readonly load: number };
  readonly dimensions: number[];
  readonly dataType: string;
  readonly voxelBytes: number;
}

interface CaseResult {
  readonly bench: BenchCase;
  readonly axial: Timing[];
  readonly reference: Timing[];
  readonly reports: AxialReport[];
}

function main(): void {
  requireTools();
  const cache = process.argv[2] ?? process.env['AXIAL_BENCH_CACHE'] ?? '/tmp/axial-bench';
  const data = makeBenchData(cache);
  const loadBefore = loadavg()[0]!;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-bench-dcm2niix-'));
  try {
    const results = benchCases(data, scratch).map(runCase);
    const markdown = formatReport(results, { data, loadBefore, loadAfter: loadavg()[0]! });
    process.stdout.write(`\n${markdown}`);
    const outDir = join(repoRoot, 'bench-results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'volume-load.md'), markdown);
    process.stderr.write(`wrote ${join(outDir, 'volume-load.md')}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function requireTools(): void {
  const missing = [TIME, PYTHON, 'dcm2niix', 'gzip', 'gdcmconv', 'dcmdump'].filter(
    (tool) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status !== 0,
  );
  if (missing.length > 0) {
    throw new Error(`bench needs ${missing.join(', ')} (Debian: time, dcm2niix, libgdcm-tools, dcmtk, python3-pydicom)`);
  }
}

function makeBenchData(cache: string): BenchData {
  const script = join(repoRoot, 'tests', 'bench', 'makeBenchData.py');
  const out = execFileSync(PYTHON, [script, cache], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as BenchData;
}

function benchCases(data: BenchData, scratch: string): BenchCase[] {
  const dcm2niix = (series: string) => (): string[] => {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch);
    return ['dcm2niix', '-z', 'n', '-o', scratch, series];
  };
  return [
    {
      name: 'DICOM series, uncompressed',
      axialInput: data.seriesRaw,
      referenceLabel: '`dcm2niix -z n`',
      reference: dcm2niix(data.seriesRaw),
      maxRatio: 1,
    },
    {
      name: 'DICOM series, JPEG 2000 lossless',
      axialInput: data.seriesJ2k,
      referenceLabel: '`dcm2niix -z n`',
      reference: dcm2niix(data.seriesJ2k),
      maxRatio: undefined,
    },
    {
      name: '`.nii.gz`',
      axialInput: data.nifti,
      referenceLabel: '`gzip -dc > /dev/null`',
      reference: () => ['sh', '-c', 'gzip -dc "$1" > /dev/null', 'sh', data.nifti],
      maxRatio: 1.2,
    },
  ];
}

function runCase(bench: BenchCase): CaseResult {
  const axialCommand = ['node', join(repoRoot, 'dist', 'tests', 'bench', 'loadVolume.js'), bench.axialInput];
  const result: CaseResult = { bench, axial: [], reference: [], reports: [] };
  for (let run = 0; run < WARM_UPS + RUNS; run++) {
    const measured = run >= WARM_UPS;
    process.stderr.write(`${bench.name}: ${measured ? `run ${run - WARM_UPS + 1}/${RUNS}` : 'warm-up'}\n`);
    const runAxial = (): void => {
      const timing = timed(axialCommand);
      if (!measured) return;
      result.axial.push(timing);
      result.reports.push(JSON.parse(timing.stdout) as AxialReport);
    };
    const runReference = (): void => {
      const timing = timed(bench.reference());
      if (measured) result.reference.push(timing);
    };
    if (run % 2 === 0) {
      runAxial();
      runReference();
    } else {
      runReference();
      runAxial();
    }
  }
  return result;
}

/** Runs a command under GNU time; its report goes to a file so the command's own stderr cannot mix in. */
function timed(command: string[]): Timing {
  const dir = mkdtempSync(join(tmpdir(), 'axial-bench-time-'));
  const report = join(dir, 'time.txt');
  try {
    const run = spawnSync(TIME, ['-f', '%e %M', '-o', report, ...command], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) {
      throw new Error(`${command.join(' ')} exited with ${run.status}:\n${run.stderr}`);
    }
    const [seconds, peakKiB] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { seconds: seconds!, peakKiB: peakKiB!, stdout: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function formatRow(result: CaseResult): string {
  const { bench, axial, reference, reports } = result;
  const ratio = median(axial.map((a, i) => a.seconds / reference[i]!.seconds));
  const peakKiB = Math.max(...axial.map((a) => a.peakKiB));
  const first = reports[0]!;
  // The issue's "volume's bytes": the voxels as stored, 2 bytes each for this CT, whatever type Axial chose.
  const volumeBytes = first.dimensions.reduce((a, b) => a * b, 1) * 2;
  const memoryRatio = (peakKiB * 1024) / volumeBytes;
  const timeGoal = bench.maxRatio === undefined ? '—' : `${pass(ratio <= bench.maxRatio)} ≤ ${bench.maxRatio}×`;
  return `| ${[
    bench.name,
    median(axial.map((a) => a.seconds)).toFixed(2),
    median(reports.map((r) => r.seconds)).toFixed(2),
    `${bench.referenceLabel} ${median(reference.map((r) => r.seconds)).toFixed(2)}`,
    `${ratio.toFixed(2)}×`,
    timeGoal,
    mebibytesOfKiB(peakKiB),
    `${memoryRatio.toFixed(2)}×`,
    `${pass(memoryRatio < MEMORY_GOAL)} < ${MEMORY_GOAL}×`,
    `${first.dimensions.join('×')} ${first.dataType}`,
  ].join(' | ')} |`;
}

function formatBreakdown({ bench, axial, reports }: CaseResult): string {
  const ms = (values: readonly number[]): string => (median(values) * 1000).toFixed(0);
  const parts = reports.map((r) => r.breakdown);
  const rest = reports.map((r, i) => axial[i]!.seconds - r.breakdown.node - r.breakdown.modules - r.breakdown.scan - r.breakdown.load);
  return `| ${[
    bench.name,
    ms(parts.map((p) => p.node)),
    ms(parts.map((p) => p.modules)),
    ms(parts.map((p) => p.scan)),
    ms(parts.map((p) => p.load)),
    ms(rest),
    ms(axial.map((a) => a.seconds)),
  ].join(' | ')} |`;
}

function pass(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

interface RunContext {
  readonly data: BenchData;
  /** One-minute load averages: other work on the machine skews both sides, the ratios less. */
  readonly loadBefore: number;
  readonly loadAfter: number;
}

function formatReport(results: readonly CaseResult[], context: RunContext): string {
  const header = [
    'case',
    'axial s (median)',
    'axial in-process s (median)',
    'reference s (median)',
    'axial / reference (median of pairs)',
    'time goal',
    'axial peak RSS MiB (max)',
    'peak RSS / volume bytes',
    'memory goal',
    'volume',
  ];
  return [
    '# Volume load benchmark',
    '',
    `${RUNS} measured A/B pairs per case after ${WARM_UPS} warm-up pair; wall seconds and peak RSS from ` +
      '`/usr/bin/time -f "%e %M"` around fresh processes, files in the page cache.',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...results.map(formatRow),
    '',
    "## Where Axial's time goes (medians, ms)",
    '',
    "From loadVolume.js's own clock: Node's start (to its first line), importing Axial's modules, `scanInput`, the first",
    "series' `load()`; the rest of the wall time is the process ending (and what /usr/bin/time sees around it).",
    '',
    '| case | Node start | modules | scan | load | rest | wall |',
    '|---|---|---|---|---|---|---|',
    ...results.map(formatBreakdown),
    '',
    ...environment(context).map((line) => `- ${line}`),
    '',
    '## Runs (seconds, peak RSS MiB)',
    '',
    ...results.map(formatRuns),
    '',
  ].join('\n');
}

function formatRuns({ bench, axial, reference }: CaseResult): string {
  const pairs = axial.map((a, i) => {
    const r = reference[i]!;
    return `${a.seconds.toFixed(2)}/${r.seconds.toFixed(2)} (${mebibytesOfKiB(a.peakKiB)}/${mebibytesOfKiB(r.peakKiB)})`;
  });
  return `- ${bench.name}, axial/reference: ${pairs.join(', ')}`;
}

function mebibytesOfKiB(kib: number): string {
  return (kib / 1024).toFixed(0);
}

function environment({ data, loadBefore, loadAfter }: RunContext): string[] {
  const firstLine = (command: string, args: string[]): string =>
    (spawnSync(command, args, { encoding: 'utf8' }).stdout ?? '')
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '?';
  return [
    `date: ${new Date().toISOString()}`,
    `CPU: ${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
    `Node ${process.version}`,
    `load average (1 min) before/after: ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}`,
    `dcm2niix: ${firstLine('dcm2niix', ['-v'])}`,
    `gzip: ${firstLine('gzip', ['--version'])}`,
    `inputs (tests/bench/makeBenchData.py): uncompressed series ${mebibytes(data.seriesRaw)} MiB, ` +
      `JPEG 2000 series ${mebibytes(data.seriesJ2k)} MiB, .nii.gz ${mebibytes(data.nifti)} MiB`,
  ];
}

function mebibytes(path: string): string {
  const bytes = statSync(path).isDirectory() ? readdirSync(path).reduce((sum, name) => sum + statSync(join(path, name)).size, 0) : statSync(path).size;
  return (bytes / 2 ** 20).toFixed(0);
}

main();
