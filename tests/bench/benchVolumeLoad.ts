import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot.js';
import { describeCpu } from './describeCpu.js';
import type { LoadVolumeReport } from './loadVolume.js';
import { writeBenchReport } from './writeBenchReport.js';

/**
 * `npm run bench`: times Axial against public tools doing the same work on the
 * same machine in the same run, and writes the table to bench-results/volume-load.md
 * (its own part only: hand notes and earlier runs are kept, see writeBenchReport).
 *
 * Like for like: `axial convert <series> out.nii` against `dcm2niix -z n`, and
 * `.nii.gz` against `dcm2niix -z y -1` (the same gzip level), each writing into the same emptied folder;
 * reading a `.nii.gz` against `gzip -dc > /dev/null`. Loading alone (no write,
 * tests/bench/loadVolume.ts) is a secondary row beside the same dcm2niix runs.
 * Every figure comes from GNU time (`%e` wall seconds, `%M` peak RSS in KiB)
 * around a fresh process, so Axial pays its Node start-up like the tools pay theirs.
 * Each round runs every command of a case once, the order rotated every round,
 * so drift hits all sides alike. A missed goal reads "**missed**" in the table
 * and on stderr; the bench still exits 0 (benches are not tests).
 *
 * Usage: node dist/tests/bench/benchVolumeLoad.js [cacheDir]   (or AXIAL_BENCH_CACHE; default /tmp/axial-bench).
 * Outputs go to a fresh folder under os.tmpdir() (TMPDIR picks its filesystem).
 */

const RUNS = 5;
const WARM_UPS = 1;
const TIME = '/usr/bin/time';
const PYTHON = '/usr/bin/python3';
/** The issue's memory goal for loading: peak RSS under twice the volume's stored bytes. */
const MEMORY_GOAL = 2;
const AXIAL_CLI = join(repoRoot, 'dist', 'main', 'cli', 'axial.js');
const LOAD_VOLUME = join(repoRoot, 'dist', 'tests', 'bench', 'loadVolume.js');

interface BenchData {
  readonly seriesRaw: string;
  readonly seriesJ2k: string;
  readonly nifti: string;
}

/** One Axial command timed against its case's reference. */
interface Arm {
  readonly label: string;
  readonly command: readonly string[];
  /** `load` prints a LoadVolumeReport and writes nothing; `convert` writes a file. */
  readonly kind: 'load' | 'convert';
  /** Most Axial/reference time ratio allowed; undefined where the issue sets no time goal. */
  readonly maxRatio: number | undefined;
}

interface BenchCase {
  readonly name: string;
  readonly referenceLabel: string;
  readonly reference: readonly string[];
  readonly arms: readonly Arm[];
}

interface Timing {
  readonly seconds: number;
  readonly peakKiB: number;
  readonly stdout: string;
  /** Bytes of .nii/.nii.gz the command left in the output folder. */
  readonly writtenBytes: number;
}

interface ArmResult {
  readonly arm: Arm;
  readonly timings: Timing[];
  readonly reports: LoadVolumeReport[];
}

interface CaseResult {
  readonly bench: BenchCase;
  readonly reference: Timing[];
  readonly arms: ArmResult[];
}

interface RunContext {
  readonly data: BenchData;
  readonly scratch: string;
  /** Load averages (1, 5, 15 min): other work on the machine skews every side, the ratios less. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

function main(): void {
  requireTools();
  const cache = process.argv[2] ?? process.env['AXIAL_BENCH_CACHE'] ?? '/tmp/axial-bench';
  const data = makeBenchData(cache);
  const loadBefore = loadavg();
  const scratch = mkdtempSync(join(tmpdir(), 'axial-bench-out-'));
  try {
    const results = benchCases(data, scratch).map((bench) => runCase(bench, scratch));
    const markdown = formatReport(results, { data, scratch, loadBefore, loadAfter: loadavg() });
    process.stdout.write(`\n${markdown}`);
    const file = join(repoRoot, 'bench-results', 'volume-load.md');
    writeBenchReport(file, markdown);
    process.stderr.write(`wrote ${file}\n`);
    for (const line of goalSummary(results)) process.stderr.write(`${line}\n`);
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
  const dcm2niix = (series: string, ...options: string[]): string[] => ['dcm2niix', ...options, '-o', scratch, series];
  const convert = (input: string, output: string, maxRatio?: number): Arm => ({
    label: `\`axial convert <input> ${output}\``,
    command: ['node', AXIAL_CLI, 'convert', input, join(scratch, output)],
    kind: 'convert',
    maxRatio,
  });
  const loadOnly = (input: string, maxRatio?: number): Arm => ({
    label: 'load only (no write), `loadVolume.js <input>`',
    command: ['node', LOAD_VOLUME, input],
    kind: 'load',
    maxRatio,
  });
  return [
    {
      name: 'DICOM series, uncompressed',
      referenceLabel: '`dcm2niix -z n`',
      reference: dcm2niix(data.seriesRaw, '-z', 'n'),
      arms: [convert(data.seriesRaw, 'out.nii', 1), loadOnly(data.seriesRaw)],
    },
    {
      name: 'DICOM series, uncompressed, to `.nii.gz`',
      referenceLabel: '`dcm2niix -z y -1`',
      reference: dcm2niix(data.seriesRaw, '-z', 'y', '-1'),
      arms: [convert(data.seriesRaw, 'out.nii.gz')],
    },
    {
      name: 'DICOM series, JPEG 2000 lossless',
      referenceLabel: '`dcm2niix -z n`',
      reference: dcm2niix(data.seriesJ2k, '-z', 'n'),
      arms: [convert(data.seriesJ2k, 'out.nii'), loadOnly(data.seriesJ2k)],
    },
    {
      name: 'reading a `.nii.gz`',
      referenceLabel: '`gzip -dc > /dev/null`',
      reference: ['sh', '-c', 'gzip -dc "$1" > /dev/null', 'sh', data.nifti],
      arms: [loadOnly(data.nifti, 1.2)],
    },
  ];
}

function runCase(bench: BenchCase, scratch: string): CaseResult {
  const result: CaseResult = { bench, reference: [], arms: bench.arms.map((arm) => ({ arm, timings: [], reports: [] })) };
  for (let run = 0; run < WARM_UPS + RUNS; run++) {
    const measured = run >= WARM_UPS;
    process.stderr.write(`${bench.name}: ${measured ? `run ${run - WARM_UPS + 1}/${RUNS}` : 'warm-up'}\n`);
    const steps = [
      (): void => {
        const timing = timed(bench.reference, scratch);
        if (measured) result.reference.push(timing);
      },
      ...result.arms.map((armResult) => (): void => {
        const timing = timed(armResult.arm.command, scratch);
        if (!measured) return;
        armResult.timings.push(timing);
        if (armResult.arm.kind === 'load') armResult.reports.push(JSON.parse(timing.stdout) as LoadVolumeReport);
      }),
    ];
    for (let step = 0; step < steps.length; step++) steps[(step + run) % steps.length]!();
  }
  return result;
}

/**
 * Runs a command under GNU time in an emptied output folder (untimed); its report
 * goes to a file so the command's own stderr cannot mix in.
 */
function timed(command: readonly string[], scratch: string): Timing {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch);
  const dir = mkdtempSync(join(tmpdir(), 'axial-bench-time-'));
  const report = join(dir, 'time.txt');
  try {
    const run = spawnSync(TIME, ['-f', '%e %M', '-o', report, ...command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`${command.join(' ')} exited with ${run.status}:\n${run.stderr}`);
    const [seconds, peakKiB] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    const writtenBytes = readdirSync(scratch)
      .filter((name) => /\.nii(\.gz)?$/.test(name))
      .reduce((sum, name) => sum + statSync(join(scratch, name)).size, 0);
    return { seconds: seconds!, peakKiB: peakKiB!, stdout: run.stdout, writtenBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One row's verdicts: the median of the per-round ratios, the worst peak; a goal undefined where the row has none. */
interface RowFigures {
  readonly ratio: number;
  readonly peakKiB: number;
  readonly memoryRatio: number;
  readonly timeMet: boolean | undefined;
  readonly memoryMet: boolean | undefined;
}

function measure(armResult: ArmResult, reference: readonly Timing[], volumeBytes: number): RowFigures {
  const { arm, timings } = armResult;
  const ratio = median(timings.map((t, i) => t.seconds / reference[i]!.seconds));
  const peakKiB = Math.max(...timings.map((t) => t.peakKiB));
  const memoryRatio = (peakKiB * 1024) / volumeBytes;
  return {
    ratio,
    peakKiB,
    memoryRatio,
    timeMet: arm.maxRatio === undefined ? undefined : ratio <= arm.maxRatio,
    memoryMet: arm.kind === 'load' ? memoryRatio < MEMORY_GOAL : undefined,
  };
}

/** The issue's "volume's bytes": the voxels as stored, 2 bytes each for this CT, whatever type Axial chose. */
function storedVolumeBytes(results: readonly CaseResult[]): number {
  const report = results.flatMap((r) => r.arms).find((a) => a.reports.length > 0)!.reports[0]!;
  return report.dimensions.reduce((a, b) => a * b, 1) * 2;
}

function formatRow(bench: BenchCase, reference: readonly Timing[], armResult: ArmResult, volumeBytes: number): string {
  const { arm, timings } = armResult;
  const m = measure(armResult, reference, volumeBytes);
  const written = (list: readonly Timing[]): string => (list[0]!.writtenBytes === 0 ? '—' : mebibytes(list[0]!.writtenBytes));
  return `| ${[
    bench.name,
    arm.label,
    median(timings.map((t) => t.seconds)).toFixed(2),
    `${bench.referenceLabel} ${median(reference.map((r) => r.seconds)).toFixed(2)}`,
    `**${m.ratio.toFixed(2)}×**`,
    m.timeMet === undefined ? '—' : `${pass(m.timeMet)} ≤ ${arm.maxRatio}×`,
    `${mebibytes(m.peakKiB * 1024)} / ${mebibytes(Math.max(...reference.map((r) => r.peakKiB)) * 1024)}`,
    `${m.memoryRatio.toFixed(2)}×`,
    m.memoryMet === undefined ? '—' : `${pass(m.memoryMet)} < ${MEMORY_GOAL}×`,
    `${written(timings)} / ${written(reference)}`,
  ].join(' | ')} |`;
}

function formatBreakdown({ bench, arms }: CaseResult, load: ArmResult): string {
  const ms = (values: readonly number[]): string => (median(values) * 1000).toFixed(0);
  const parts = load.reports.map((r) => r.breakdown);
  const rest = load.reports.map((r, i) => load.timings[i]!.seconds - r.breakdown.node - r.breakdown.modules - r.breakdown.scan - r.breakdown.load);
  const convert = arms.find((a) => a.arm.kind === 'convert');
  return `| ${[
    bench.name,
    ms(parts.map((p) => p.node)),
    ms(parts.map((p) => p.modules)),
    ms(parts.map((p) => p.scan)),
    ms(parts.map((p) => p.load)),
    ms(rest),
    ms(load.timings.map((t) => t.seconds)),
    convert === undefined ? '—' : ms(convert.timings.map((t, i) => t.seconds - load.timings[i]!.seconds)),
  ].join(' | ')} |`;
}

function pass(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

/** One stderr line per goal, so a miss shows without reading the table. */
function goalSummary(results: readonly CaseResult[]): string[] {
  const volumeBytes = storedVolumeBytes(results);
  const plain = (text: string): string => text.replaceAll('`', '');
  const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
  return results.flatMap(({ bench, reference, arms }) =>
    arms.flatMap((armResult) => {
      const m = measure(armResult, reference, volumeBytes);
      const what = `volume-load goal, ${plain(bench.name)}, ${plain(armResult.arm.label)}`;
      const lines: string[] = [];
      if (m.timeMet !== undefined) {
        lines.push(`${what}: ${m.ratio.toFixed(2)}× ${plain(bench.referenceLabel)} (≤ ${armResult.arm.maxRatio}×) ${verdict(m.timeMet)}`);
      }
      if (m.memoryMet !== undefined) lines.push(`${what}: peak RSS ${m.memoryRatio.toFixed(2)}× the volume (< ${MEMORY_GOAL}×) ${verdict(m.memoryMet)}`);
      return lines;
    }),
  );
}

function formatReport(results: readonly CaseResult[], context: RunContext): string {
  const volumeBytes = storedVolumeBytes(results);
  const first = results.flatMap((r) => r.arms).find((a) => a.reports.length > 0)!.reports[0]!;
  const header = [
    'case',
    'Axial',
    'Axial s (median)',
    'reference s (median)',
    'Axial / reference (median of rounds)',
    'time goal',
    'peak RSS MiB (max), Axial / reference',
    'Axial peak RSS / volume bytes',
    'memory goal',
    'written MiB, Axial / reference',
  ];
  return [
    '# Volume load benchmark',
    '',
    `A ${first.dimensions.join('×')} CT (Axial loads it as ${first.dataType}; ${mebibytes(volumeBytes)} MiB as stored). ` +
      `${RUNS} measured rounds per case after ${WARM_UPS} warm-up round, each running every command of the case once, the order ` +
      'rotated every round; wall seconds and peak RSS from `/usr/bin/time -f "%e %M"` around fresh processes, inputs in the page cache. ' +
      'Every ratio sits beside its reference from the same rounds.',
    '',
    'Like for like: `axial convert` and dcm2niix each read the series and write one NIfTI into the same output folder, emptied ' +
      '(untimed) before every run; dcm2niix also writes its small JSON sidecar. Load only (no write) is what opening a series costs ' +
      'the app: the same rounds, the same dcm2niix runs as reference, but only dcm2niix writes a file. The time goal for the ' +
      "uncompressed series is judged on the convert row; the memory goal (the issue's, for loading a volume) on the load rows.",
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...results.flatMap((r) => r.arms.map((a) => formatRow(r.bench, r.reference, a, volumeBytes))),
    '',
    "## Where Axial's time goes (medians, ms)",
    '',
    "Load only, from loadVolume.js's own clock: Node's start (to its first line), importing Axial's modules, `scanInput`, the first",
    "series' `load()`; the rest of the wall time is the process ending (and what /usr/bin/time sees around it). The last column is",
    "the same round's `axial convert … out.nii` wall time less the load's: what writing the file (and the CLI's own start) adds.",
    '',
    '| input | Node start | modules | scan | load | rest | wall | convert − load |',
    '|---|---|---|---|---|---|---|---|',
    ...results.flatMap((r) => r.arms.filter((a) => a.arm.kind === 'load').map((a) => formatBreakdown(r, a))),
    '',
    ...environment(context).map((line) => `- ${line}`),
    '',
    '## Runs (seconds, peak RSS MiB)',
    '',
    ...results.flatMap(formatRuns),
    '',
  ].join('\n');
}

function formatRuns({ bench, reference, arms }: CaseResult): string[] {
  return arms.map(({ arm, timings }) => {
    const pairs = timings.map((a, i) => {
      const r = reference[i]!;
      return `${a.seconds.toFixed(2)}/${r.seconds.toFixed(2)} (${mebibytes(a.peakKiB * 1024)}/${mebibytes(r.peakKiB * 1024)})`;
    });
    return `- ${bench.name}, ${arm.label} / ${bench.referenceLabel}: ${pairs.join(', ')}`;
  });
}

function mebibytes(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

function environment({ data, scratch, loadBefore, loadAfter }: RunContext): string[] {
  const firstLine = (command: string, args: string[]): string =>
    (spawnSync(command, args, { encoding: 'utf8' }).stdout ?? '')
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '?';
  const load = (l: readonly number[]): string => l.map((v) => v.toFixed(2)).join(' ');
  const pigz = spawnSync('sh', ['-c', 'command -v pigz']).status === 0;
  return [
    `date: ${new Date().toISOString()}`,
    `CPU: ${describeCpu()}`,
    `Node ${process.version}`,
    `load average (1, 5, 15 min) before: ${load(loadBefore)}; after: ${load(loadAfter)}`,
    `dcm2niix: ${firstLine('dcm2niix', ['-v'])}; \`-z y\` ${pigz ? 'pipes to pigz' : 'compresses with its internal miniz (no pigz on the PATH)'}, ` +
      "`-1` at gzip level 1 as Axial writes `.nii.gz` (dcm2niix's default is 6)",
    `gzip: ${firstLine('gzip', ['--version'])}`,
    `outputs written to ${scratch} (${firstLine('stat', ['-f', '-c', '%T', scratch])}), the same folder for both sides`,
    `inputs (tests/bench/makeBenchData.py): uncompressed series ${mebibytes(folderBytes(data.seriesRaw))} MiB, ` +
      `JPEG 2000 series ${mebibytes(folderBytes(data.seriesJ2k))} MiB, .nii.gz ${mebibytes(folderBytes(data.nifti))} MiB`,
  ];
}

function folderBytes(path: string): number {
  return statSync(path).isDirectory() ? readdirSync(path).reduce((sum, name) => sum + statSync(join(path, name)).size, 0) : statSync(path).size;
}

main();
