import { performance } from 'node:perf_hooks';
import type { ViewerSession } from '../../e2e/pages/launchViewer.js';
import type { PageGlobal } from '../../e2e/pages/pageShapes.js';

/** The volume's bytes from main to an ArrayBuffer in the page, against plain copies of as many bytes (ms per run). */
export interface TripTiming {
  readonly bytes: number;
  /** fetch(dataUrl) → arrayBuffer() in the page, as the renderer loads a volume. */
  readonly fetchMs: number[];
  /** ArrayBuffer.slice(0) of the fetched buffer in the page: a memcpy into fresh memory. */
  readonly sliceMs: number[];
  /** Buffer.copy in Node into a freshly allocated Buffer (page faults included, like the two above). */
  readonly copyFreshMs: number[];
  /** Buffer.copy in Node into one Buffer reused across runs (already faulted in). */
  readonly copyWarmMs: number[];
}

/**
 * Times the trip of a loaded volume's voxels from the host's data URL into
 * the page, `runs` times, and copies of the same byte count in the page and
 * in Node.
 */
export async function measureTrip(session: ViewerSession, volumeId: string, runs: number): Promise<TripTiming> {
  const url = `${session.host.url}/data/volume/${encodeURIComponent(volumeId)}`;
  const page = await session.page.evaluate(fetchAndSlice, { url, runs });
  const source = Buffer.alloc(page.bytes, 0x5a);
  const warm = Buffer.alloc(page.bytes);
  const copyFreshMs: number[] = [];
  const copyWarmMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const fresh = Buffer.allocUnsafeSlow(page.bytes);
    let start = performance.now();
    source.copy(fresh);
    copyFreshMs.push(performance.now() - start);
    start = performance.now();
    source.copy(warm);
    copyWarmMs.push(performance.now() - start);
  }
  return { bytes: page.bytes, fetchMs: page.fetchMs, sliceMs: page.sliceMs, copyFreshMs, copyWarmMs };
}

/** Runs in the page. */
async function fetchAndSlice({ url, runs }: { url: string; runs: number }): Promise<{ bytes: number; fetchMs: number[]; sliceMs: number[] }> {
  const g = globalThis as unknown as PageGlobal;
  const fetchMs: number[] = [];
  const sliceMs: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    let start = g.performance.now();
    const response = await g.fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    const buffer = await response.arrayBuffer();
    fetchMs.push(g.performance.now() - start);
    bytes = buffer.byteLength;
    start = g.performance.now();
    const copy = buffer.slice(0);
    sliceMs.push(g.performance.now() - start);
    if (copy.byteLength !== bytes) throw new Error('ArrayBuffer.slice lost bytes');
  }
  return { bytes, fetchMs, sliceMs };
}
