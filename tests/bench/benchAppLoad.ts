import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppSettings, Result } from '../../core/contract.js';
import { scanInput } from '../../main/input/scanInput.js';
import type { AppServices } from '../../main/services/AppServices.js';
import { createAppServices } from '../../main/services/createAppServices.js';
import { repoRoot } from '../repoRoot.js';
import { sharedData } from '../sharedData.js';

/**
 * `npm run bench` (second part): the app's responsiveness while a 300-slice JPEG 2000 series loads.
 * An app:ping round trip is made from a new macrotask every 10 ms (as an IPC message arrives) while the
 * app's services open and load the series on the loader's worker; the reference is the same series
 * scanned and loaded on the pinging thread itself, as the services did before the loader.
 * Also times Cancel, and the load with 1 and 2 decode threads. Writes bench-results/app-load.md.
 */

const SLICES = 300;
const RUNS = 3;

interface Trips {
  readonly seconds: number;
  readonly trips: number[];
}

async function main(): Promise<void> {
  const cache = process.argv[2] ?? process.env['AXIAL_BENCH_CACHE'] ?? '/tmp/axial-bench';
  const series = longSeries(cache, 'long-j2k', undefined);
  const loadBefore = loadavg()[0]!;
  const rows: string[] = [];
  // The real CT values fit int16 and are written while decoding; slope 0.5 makes them float32, which
  // takes a whole-volume rescale pass after decoding (Philips MR, PET and many MR series are like this).
  for (const [values, folder] of [
    ['int16 (CT)', series],
    ['float32 (RescaleSlope 0.5)', longSeries(cache, 'long-j2k-slope05', '0.5')],
  ] as const) {
    const loader: Trips[] = [];
    const reference: Trips[] = [];
    for (let run = 0; run < RUNS; run++) {
      process.stderr.write(`app load, ${values}: run ${run + 1}/${RUNS}\n`);
      loader.push(await loadThroughServices(folder, { decodeThreads: null, philipsScaling: 'precise' }));
      reference.push(await pingWhile(loadOnThisThread(folder)));
    }
    rows.push(tripRow(`${values}: services, loader worker (the app)`, loader), tripRow(`${values}: reference, loaded on the pinged thread`, reference));
  }
  const threads: string[] = [];
  for (const decodeThreads of [1, 2]) {
    const seconds = median((await repeat(() => loadThroughServices(series, { decodeThreads, philipsScaling: 'precise' }))).map((t) => t.seconds));
    threads.push(`| ${decodeThreads} | ${seconds.toFixed(2)} |`);
  }
  const cancels = await repeat(() => cancelMidway(series));
  const markdown = [
    '# App responsiveness while a series loads',
    '',
    `${SLICES}-slice 512×512 JPEG 2000 lossless series (tests/fixtures/makeLongJ2kSeries.py from the real ct-abdomen-j2k slices), ` +
      `${RUNS} runs each. An \`app:ping\` round trip through the services every 10 ms, each from a new macrotask, during the open (scan) and the load.`,
    '',
    '| values: where the series loads | open + load s (median) | round trips | p50 ms | p99 ms | max ms | goal |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '## Decode threads (loader worker)',
    '',
    '| threads | open + load s (median) |',
    '|---|---|',
    ...threads,
    '',
    '## Cancel',
    '',
    `Cancel asked once 60 of ${SLICES} files were decoded; from the call to the worker and its decode pool ended: ` +
      `median ${median(cancels).toFixed(1)} ms (runs: ${cancels.map((c) => c.toFixed(1)).join(', ')}; goal 100 ms).`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    `- Node ${process.version}`,
    `- load average (1 min) before/after: ${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`,
    '',
  ].join('\n');
  process.stdout.write(`\n${markdown}`);
  const outDir = join(repoRoot, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'app-load.md'), markdown);
  process.stderr.write(`wrote ${join(outDir, 'app-load.md')}\n`);
}

/** The real J2K slices repeated to SLICES slices (made once, kept in the bench cache). */
function longSeries(cache: string, name: string, rescaleSlope: string | undefined): string {
  const folder = join(cache, `${name}-${SLICES}`);
  if (!existsSync(join(folder, `slice${String(SLICES - 1).padStart(4, '0')}.dcm`))) {
    const script = join(repoRoot, 'tests', 'fixtures', 'makeLongJ2kSeries.py');
    const slope = rescaleSlope === undefined ? [] : [rescaleSlope];
    execFileSync('/usr/bin/python3', [script, sharedData('dicom/ct-abdomen-j2k'), folder, String(SLICES), ...slope], { stdio: 'inherit' });
  }
  return folder;
}

function tripRow(name: string, runs: readonly Trips[]): string {
  const all = runs.flatMap((r) => r.trips);
  const [p50, p99, max] = [quantile(all, 0.5), quantile(all, 0.99), Math.max(...all)];
  const seconds = median(runs.map((r) => r.seconds));
  const goal = `p99 < 50 ms: ${p99 < 50 ? 'met' : '**missed**'}`;
  return `| ${name} | ${seconds.toFixed(2)} | ${all.length} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${max.toFixed(1)} | ${goal} |`;
}

/** A fresh services instance (as the app starts), the series opened and loaded while pinging. */
async function loadThroughServices(folder: string, settings: Pick<AppSettings, 'decodeThreads' | 'philipsScaling'>): Promise<Trips> {
  const dataDir = mkdtempSync(join(tmpdir(), 'axial-bench-app-'));
  const services = servicesFor(folder, dataDir);
  try {
    ok(await services.invoke('settings:set', { ...settings, measurementsBesideStudy: false }));
    const work = (async () => {
      const scan = ok(await services.invoke('volume:open', { source: 'folder' }));
      ok(await services.invoke('volume:load', { scanId: (scan as { scanId: string }).scanId, seriesIndex: 1 }));
    })();
    return await pingWhile(work, services);
  } finally {
    await services.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function loadOnThisThread(folder: string): Promise<void> {
  const scan = await scanInput(folder);
  await scan.series[0]!.load();
}

/** Milliseconds from volume:cancel to its answer (the loader's worker and decode pool ended) mid-load. */
async function cancelMidway(folder: string): Promise<number> {
  let decoded = 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'axial-bench-app-'));
  const services = servicesFor(folder, dataDir, (done) => (decoded = done));
  try {
    const scan = ok(await services.invoke('volume:open', { source: 'folder' })) as { scanId: string };
    const loading = services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 });
    while (decoded < 60) await new Promise((r) => setTimeout(r, 2));
    const asked = performance.now();
    ok(await services.invoke('volume:cancel', {}));
    const ms = performance.now() - asked;
    const result = await loading;
    if (result.ok || result.error.code !== 'LOAD_CANCELLED') throw new Error('the load was not cancelled');
    return ms;
  } finally {
    await services.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function servicesFor(folder: string, dataDir: string, onLoading?: (done: number) => void): AppServices {
  return createAppServices({
    chooseOpenPath: async () => folder,
    chooseSavePath: async () => undefined,
    takeDroppedPath: () => undefined,
    emit: (event, payload) => {
      if (event === 'volume:progress' && 'phase' in payload && payload.phase === 'loading') onLoading?.(payload.done);
    },
    demoModelPath: join(repoRoot, 'models', 'demo-ct-phantom'),
    demoInteractiveModelPath: join(repoRoot, 'models', 'demo-deepedit'),
    dataUrl: (kind, id) => `bench://${kind}/${id}`,
    dataDir,
  });
}

/** Round trips of app:ping every 10 ms until `work` settles, each sent from a new macrotask. */
async function pingWhile(work: Promise<unknown>, services?: AppServices): Promise<Trips> {
  const start = performance.now();
  let settled = false;
  const done = work.finally(() => (settled = true));
  const trips: number[] = [];
  while (!settled) {
    const sent = performance.now();
    await new Promise((r) => setImmediate(r));
    if (services) ok(await services.invoke('app:ping', {}));
    trips.push(performance.now() - sent);
    await new Promise((r) => setTimeout(r, 10));
  }
  await done;
  return { seconds: (performance.now() - start) / 1000, trips };
}

async function repeat<T>(run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let n = 0; n < RUNS; n++) results.push(await run());
  return results;
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const median = (values: readonly number[]): number => quantile(values, 0.5);

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

await main();
