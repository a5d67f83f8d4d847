import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchViewer, type ViewerSession } from '../e2e/pages/launchViewer.js';
import type { ViewName } from '../e2e/pages/pageShapes.js';
import { repoRoot } from '../repoRoot.js';
import { formatBigVolumeSection } from './viewer/formatBigVolumeSection.js';
import { formatViewerReport, type OpenCase, type ScrollCase } from './viewer/formatViewerReport.js';
import { measureBigVolume } from './viewer/measureBigVolume.js';
import { measureMpr } from './viewer/measureMpr.js';
import { measureOpen } from './viewer/measureOpen.js';
import { measureScroll, type ScrollInput } from './viewer/measureScroll.js';
import { measureTrip } from './viewer/measureTrip.js';
import { measureView3d } from './viewer/measureView3d.js';
import { prepareViewerBenchData, type ViewerBenchData } from './viewer/viewerBenchData.js';

/**
 * `npm run bench:viewer`: the viewer in headless Chromium against the test
 * host. Times open → first drawn slice (the real CT series and a
 * 512×512×300 volume), frame times while scrolling 100 axial and 100
 * sagittal slices with a mask shown, the same with a 20 mm MIP slab and on
 * an oblique plane (against the plain axial scroll), and the volume's trip
 * from main to the page against a memcpy, and the 3D view's frame times
 * (SwiftShader) at full and reduced quality; writes bench-results/viewer.md.
 * Then a 512×512×2400 CT (1.2 GB, tests/fixtures/makeBigCt.py) beside the
 * same generator's 512×512×300: open, the 3D view's reduction, peak memory
 * of host, page and GPU process, scroll p95; writes bench-results/viewer-big.md.
 * `--big-only` runs only that part.
 */

/** Opens per input: one cold, then these many counted. */
const OPEN_RUNS = 1 + 5;
const SCROLL_FRAMES = 100;
const TRIP_RUNS = 5;
/** Rotated 3D frames per quality. */
const VIEW3D_FRAMES = 30;
/** The goal: p95 frame time under 16 ms in headless Chromium. */
const FRAME_GOAL_MS = 16;

async function main(): Promise<void> {
  if (!process.argv.includes('--big-only')) await benchViewer();
  await benchBigVolume();
}

/** The big-volume case, each figure beside the 512×512×300 reference measured in the same run. */
async function benchBigVolume(): Promise<void> {
  const loadBefore = loadavg();
  process.stderr.write('preparing the 512×512×2400 and 512×512×300 volumes (cached in /tmp/axial-bench/big-ct)…\n');
  const make = (slices: number): string =>
    execFileSync('/usr/bin/python3', [join(repoRoot, 'tests/fixtures/makeBigCt.py'), '/tmp/axial-bench', String(slices)], { encoding: 'utf8' }).trim();
  const referencePath = make(300);
  const bigPath = make(2400);
  process.stderr.write(`timing ${referencePath}…\n`);
  const reference = await measureBigVolume(referencePath, '512×512×300', 512 * 512 * 300 * 2, SCROLL_FRAMES);
  process.stderr.write(`timing ${bigPath}…\n`);
  const big = await measureBigVolume(bigPath, '512×512×2400', 512 * 512 * 2400 * 2, SCROLL_FRAMES);
  const lines = [
    '# Viewer benchmark: a big volume',
    '',
    ...formatBigVolumeSection(reference, big),
    '## Environment',
    '',
    `- inputs: ${bigPath} and ${referencePath} (uncompressed NIfTI, int16)`,
    `- Node ${process.version}; Chromium headless, --disable-gpu --enable-unsafe-swiftshader; page 1400×900`,
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length} (availableParallelism ${availableParallelism()}), shared with other work`,
    `- load average (1, 5, 15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}; after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
  ];
  const outDir = join(repoRoot, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'viewer-big.md'), lines.join('\n'));
  process.stdout.write(`\n${lines.join('\n')}`);
  process.stderr.write(`wrote ${join(outDir, 'viewer-big.md')}\n`);
}

async function benchViewer(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-bench-viewer-'));
  const loadBefore = loadavg();
  try {
    process.stderr.write('preparing the inputs…\n');
    const data = await prepareViewerBenchData(scratch);
    const session = await launchViewer();
    try {
      const opens = await measureOpens(session, data);
      const scrolls = [
        ...(await measureScrolls(session, data.ctSeries, 'folder', data.ctLabels, 'CT 512×512×20, TotalSegmentator labels')),
        ...(await measureScrolls(session, data.large, 'file', data.largeLabels, 'CT 512×512×300, threshold labels')),
      ];
      const mpr = await measureMpr(session, 'CT 512×512×300, threshold labels', SCROLL_FRAMES);
      process.stderr.write('timing the 3D view…\n');
      const view3d = await measureView3d(data.large, 'CT 512×512×300', VIEW3D_FRAMES);
      process.stderr.write('timing the trip from main to the page…\n');
      const volumeId = (await session.viewer.sceneIds()).volumeId!;
      const trip = await measureTrip(session, volumeId, TRIP_RUNS);
      const environment = describeEnvironment(session.browser.version(), data, loadBefore);
      const markdown = formatViewerReport({ opens, scrolls, mpr, view3d, trip, frameGoalMs: FRAME_GOAL_MS, environment });
      const outDir = join(repoRoot, 'bench-results');
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'viewer.md'), markdown);
      process.stdout.write(`\n${markdown}`);
      process.stderr.write(`wrote ${join(outDir, 'viewer.md')}\n`);
    } finally {
      await session.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function measureOpens(session: ViewerSession, data: ViewerBenchData): Promise<OpenCase[]> {
  const cases = [
    {
      name: 'DICOM series ct-abdomen-j2k (JPEG 2000 lossless, 20 files)',
      size: '512×512×20',
      bytes: 512 * 512 * 20 * 2,
      path: data.ctSeries,
      source: 'folder' as const,
    },
    { name: '`.nii.gz`, int16', size: '512×512×300', bytes: 512 * 512 * 300 * 2, path: data.large, source: 'file' as const },
  ];
  const opens: OpenCase[] = [];
  for (const c of cases) {
    process.stderr.write(`timing ${OPEN_RUNS} opens of ${c.path}…\n`);
    opens.push({ name: c.name, size: c.size, bytes: c.bytes, runs: await measureOpen(session, c.path, c.source, OPEN_RUNS) });
  }
  return opens;
}

async function measureScrolls(session: ViewerSession, path: string, source: 'file' | 'folder', labels: string, volume: string): Promise<ScrollCase[]> {
  process.stderr.write(`timing scrolls through ${path} with ${labels}…\n`);
  const { viewer } = session;
  await viewer.goto();
  await viewer.openScan(path, source);
  await viewer.openLabels(labels);
  const runs: [ViewName, ScrollInput][] = [
    ['axial', 'key'],
    ['sagittal', 'wheel'],
  ];
  const cases: ScrollCase[] = [];
  for (const [view, input] of runs) {
    const frames = await measureScroll(session, view, input, SCROLL_FRAMES);
    cases.push({ volume, view, input: input === 'key' ? 'ArrowUp/Down' : 'wheel', frames });
  }
  return cases;
}

function describeEnvironment(chromium: string, data: ViewerBenchData, loadBefore: number[]): string[] {
  return [
    `large volume: ${data.largeSource}; its labels: 1 where HU > −300, 2 where HU > 200`,
    `CT labels: ${data.ctLabels}`,
    `Chromium ${chromium} (Debian, headless, --disable-gpu: software raster), device scale factor 1`,
    `Node ${process.version}`,
    `date: ${new Date().toISOString()}`,
    `CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length} (availableParallelism ${availableParallelism()})`,
    `load average (1, 5, 15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}; after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
