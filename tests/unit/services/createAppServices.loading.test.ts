import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventTypes, Result } from '../../../core/contract.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf } from './appServicesHarness.js';

const j2kSeries = sharedData('dicom/ct-abdomen-j2k');
const scratch = mkdtempSync(join(tmpdir(), 'axial-services-loading-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real J2K slices repeated along z to `count` slices, in `out` (tests/fixtures/makeLongJ2kSeries.py). */
function longSeries(out: string, count: number, rescaleSlope?: string): string {
  const script = join(repoRoot, 'tests', 'fixtures', 'makeLongJ2kSeries.py');
  execFileSync('/usr/bin/python3', [script, j2kSeries, out, String(count), ...(rescaleSlope === undefined ? [] : [rescaleSlope])]);
  return out;
}

/**
 * Three hostile files beside a good series: one cut short in its header (skipped while scanning), one
 * whose header claims a 60000×60000 frame (a volume of its own: refused when its frame decodes to
 * 512×512, before the 7 GB it claims is allocated), and one, in a series of its own, whose JPEG 2000
 * codestream is noise (the decoder fails on a pool worker).
 */
function addHostileFiles(folder: string): { cut: string; liar: string; noise: string } {
  const [cut, liar, noise] = ['cut.dcm', 'liar.dcm', 'noise.dcm'].map((name) => join(folder, name)) as [string, string, string];
  const script = `
import sys, pydicom, numpy as np
from pydicom.encaps import encapsulate
from pydicom.uid import generate_uid
src, cut, liar, noise = sys.argv[1:5]
open(cut, 'wb').write(open(src, 'rb').read()[:700])
ds = pydicom.dcmread(src)
ds.Rows = 60000; ds.Columns = 60000
ds.save_as(liar)
ds = pydicom.dcmread(src)
ds.SeriesInstanceUID = generate_uid(entropy_srcs=['axial-noise-series'])
ds.SOPInstanceUID = generate_uid(entropy_srcs=['axial-noise-instance'])
ds.PixelData = encapsulate([bytes([0xff, 0x4f, 0xff, 0x51]) + np.random.default_rng(7).integers(0, 256, 4000, dtype=np.uint8).tobytes()])
ds.save_as(noise)
`;
  execFileSync('/usr/bin/python3', ['-c', script, join(folder, 'slice0000.dcm'), cut, liar, noise]);
  return { cut, liar, noise };
}

const quantile = (values: readonly number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

/**
 * Round trips of app:ping every 10 ms until `until` settles. Each call is made from a new macrotask, as
 * an IPC message arrives, so a thread busy with the load delays it (a plain await would not wait for the event loop).
 */
async function pingWhile(services: ReturnType<typeof createHarness>['services'], until: Promise<unknown>): Promise<number[]> {
  let settled = false;
  void until.finally(() => (settled = true));
  const trips: number[] = [];
  while (!settled) {
    const sent = performance.now();
    await new Promise((r) => setImmediate(r));
    valueOf(await services.invoke('app:ping', {}));
    trips.push(performance.now() - sent);
    await new Promise((r) => setTimeout(r, 10));
  }
  return trips;
}

describe.skipIf(!hasSharedData)(`createAppServices: loading on the loader's worker (${noSharedDataReason})`, () => {
  it('answers app:ping with p99 under 50 ms while a 300-slice JPEG 2000 series loads, and reports the files as they go', async () => {
    // Slope 0.5 makes the values float32: after decoding, the reader rescales the whole volume in one pass,
    // which on the services' own thread would hold every call for a fraction of a second.
    const folder = longSeries(join(scratch, 'long'), 300, '0.5');
    const h = createHarness();
    try {
      h.answerNextOpen(folder);
      const opening = h.services.invoke('volume:open', { source: 'folder' });
      const scanTrips = await pingWhile(h.services, opening);
      const scan = valueOf(await opening)!;
      expect(scan.series).toHaveLength(1);
      const loading = h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 });
      const loadTrips = await pingWhile(h.services, loading);
      const header = valueOf(await loading);
      expect(header.dimensions).toEqual([512, 512, 300]);
      expect(header.dataType).toBe('float32');
      const trips = [...scanTrips, ...loadTrips];
      // The load takes seconds here, so there are hundreds of round trips behind the quantile.
      expect(loadTrips.length).toBeGreaterThan(50);
      expect(quantile(trips, 0.99)).toBeLessThan(50);
      // Generous: on the services' own thread the rescale pass and the value range held calls for 1.3–1.5 s.
      expect(Math.max(...trips)).toBeLessThan(500);
      const progress = h.events.filter((e) => e.event === 'volume:progress').map((e) => e.payload as EventTypes['volume:progress']);
      expect(progress.filter((p) => p.phase === 'scanning').at(-1)).toEqual({ phase: 'scanning', done: 300, total: 300 });
      expect(progress.at(-1)).toEqual({ phase: 'loading', done: 300, total: 300 });
      expect(progress.filter((p) => p.phase === 'loading').length).toBeGreaterThan(2);
    } finally {
      await h.services.dispose();
    }
  });

  it('loads the good series of a folder holding hostile files, names each file that failed, and keeps answering', async () => {
    const folder = longSeries(join(scratch, 'hostile'), 20);
    const { liar, noise } = addHostileFiles(folder);
    const h = createHarness();
    try {
      h.answerNextOpen(folder);
      const scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }))!;
      expect(scan.skipped).toBe(1);
      expect(scan.series.map((s) => s.files).sort()).toEqual([1, 1, 20]);
      const loads = Promise.all(scan.series.map((s) => h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: s.index })));
      const trips = await pingWhile(h.services, loads);
      const results = await loads;
      const good = results.filter((r) => r.ok).map((r) => valueOf(r).dimensions);
      expect(good).toEqual([[512, 512, 20]]);
      const failures = results.filter((r): r is Extract<Result<unknown>, { ok: false }> => !r.ok).map((r) => r.error);
      expect(failures.map((e) => e.code)).toEqual(['DICOM_CORRUPT_PIXEL_DATA', 'DICOM_CORRUPT_PIXEL_DATA']);
      expect(failures.map((e) => [liar, noise].find((file) => e.message.startsWith(`${file}: `))).sort()).toEqual([liar, noise]);
      // A generous bound: the calls are answered all along, not after the loads.
      expect(Math.max(...trips)).toBeLessThan(1000);
    } finally {
      await h.services.dispose();
    }
  });

  it('cancels a load: the call fails with LOAD_CANCELLED, and nothing is cancelled when nothing loads', async () => {
    const folder = longSeries(join(scratch, 'cancel'), 120);
    const h = createHarness();
    try {
      expect(valueOf(await h.services.invoke('volume:cancel', {}))).toEqual({ cancelled: false });
      h.answerNextOpen(folder);
      const scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }))!;
      const loading = h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 });
      await h.waitFor('volume:progress', (p) => p.phase === 'loading' && p.done >= 10);
      expect(valueOf(await h.services.invoke('volume:cancel', {}))).toEqual({ cancelled: true });
      expect(await loading).toMatchObject({ ok: false, error: { code: 'LOAD_CANCELLED' } });
      expect(valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 })).dimensions).toEqual([512, 512, 120]);
    } finally {
      await h.services.dispose();
    }
  });
});

describe('createAppServices: settings', () => {
  it('starts from the defaults, keeps a change in the data folder, and reads it back in a new session', async () => {
    const dataDir = mkdtempSync(join(scratch, 'data-'));
    const first = createHarness({ dataDir });
    expect(valueOf(await first.services.invoke('settings:get', {}))).toEqual({
      decodeThreads: null,
      philipsScaling: 'precise',
      measurementsBesideStudy: false,
    });
    const changed = { decodeThreads: 1, philipsScaling: 'display', measurementsBesideStudy: false } as const;
    expect(valueOf(await first.services.invoke('settings:set', changed))).toEqual(changed);
    await first.services.dispose();
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toEqual(changed);
    const second = createHarness({ dataDir });
    expect(valueOf(await second.services.invoke('settings:get', {}))).toEqual(changed);
    await second.services.dispose();
  });

  it('falls back to the defaults, and says so, when the settings file is damaged', async () => {
    const dataDir = mkdtempSync(join(scratch, 'data-'));
    writeFileSync(join(dataDir, 'settings.json'), '{"decodeThreads": -3');
    const logged: unknown[] = [];
    const h = createHarness({ dataDir, logError: (error) => logged.push(error) });
    expect(valueOf(await h.services.invoke('settings:get', {}))).toEqual({ decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: false });
    expect(logged).toHaveLength(1);
    await h.services.dispose();
  });
});
