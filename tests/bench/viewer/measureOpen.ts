import type { ViewerSession } from '../../e2e/pages/launchViewer.js';
import type { PageGlobal, ViewName } from '../../e2e/pages/pageShapes.js';

/** One open, timed in the page from the toolbar click (ms). */
export interface OpenTiming {
  /** Click to the first view's first draw (data-rendered set). */
  readonly firstDrawnMs: number;
  /** Click to all three views drawn. */
  readonly allDrawnMs: number;
  /** `volume:open` (dialog, scan of the files) as the page saw the call. */
  readonly scanMs: number;
  /** `volume:load` (decode in main) as the page saw the call. */
  readonly loadMs: number;
  /** The voxels' fetch from the data URL, request start to last byte. */
  readonly fetchMs: number;
  /** Last byte to the first view drawn: the typed array, the window, React, cutting and drawing the slice. */
  readonly toDrawMs: number;
}

interface PageOpen {
  readonly drawn: Partial<Record<ViewName, number>>;
  readonly resources: { name: string; start: number; end: number }[];
}

/**
 * Opens `path` `runs` times, each in a freshly loaded page, and times each
 * open in the page with performance.now() and the Resource Timing entries of
 * the calls it makes.
 */
export async function measureOpen(session: ViewerSession, path: string, source: 'file' | 'folder', runs: number): Promise<OpenTiming[]> {
  const timings: OpenTiming[] = [];
  for (let run = 0; run < runs; run++) {
    await session.viewer.goto();
    await connectEvents(session);
    session.host.answerNextOpen(path);
    const open = await session.page.evaluate(clickAndWaitForDraws, source);
    timings.push(toTiming(open));
  }
  return timings;
}

/** Runs in the page: clicks Open and resolves when all three views have drawn. */
function clickAndWaitForDraws(source: 'file' | 'folder'): Promise<PageOpen> {
  const g = globalThis as unknown as PageGlobal;
  g.performance.clearResourceTimings();
  const start = g.performance.now();
  const drawn: Partial<Record<ViewName, number>> = {};
  return new Promise((resolve, reject) => {
    const observer = new g.MutationObserver(() => {
      for (const view of ['axial', 'coronal', 'sagittal'] as const) {
        if (drawn[view] === undefined && g.document.querySelector(`[data-testid="viewport-${view}"][data-rendered]`)) drawn[view] = g.performance.now() - start;
      }
      if (g.document.querySelector('[data-testid="error"]')) {
        observer.disconnect();
        reject(new Error('the viewer showed an error'));
      } else if (Object.keys(drawn).length === 3) {
        observer.disconnect();
        const resources = g.performance.getEntriesByType('resource').map((r) => ({ name: r.name, start: r.startTime - start, end: r.responseEnd - start }));
        resolve({ drawn, resources });
      }
    });
    observer.observe(g.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-rendered'] });
    g.document.querySelector(`[data-testid="open-${source}"]`)!.click();
  });
}

function toTiming(open: PageOpen): OpenTiming {
  const span = (part: string): { start: number; end: number } => {
    const entry = open.resources.find((r) => r.name.includes(part));
    if (!entry) throw new Error(`no request for ${part} while opening`);
    return entry;
  };
  const firstDrawnMs = Math.min(...Object.values(open.drawn));
  const scan = span('/invoke/volume%3Aopen');
  const load = span('/invoke/volume%3Aload');
  const data = span('/data/volume/');
  return {
    firstDrawnMs,
    allDrawnMs: Math.max(...Object.values(open.drawn)),
    scanMs: scan.end - scan.start,
    loadMs: load.end - load.start,
    fetchMs: data.end - data.start,
    toDrawMs: firstDrawnMs - data.end,
  };
}

/**
 * A cancelled Open, so that the shim's event stream is up before the timed
 * click (its calls wait for the stream to open). Polls the host's own list
 * of dialogs, then waits for the busy note to go.
 */
async function connectEvents(session: ViewerSession): Promise<void> {
  const { host, page } = session;
  const dialogs = host.dialogs.length;
  session.host.answerNextOpen(undefined);
  await page.getByTestId('open-file').click();
  const deadline = Date.now() + 10_000;
  while (host.dialogs.length === dialogs) {
    if (Date.now() > deadline) throw new Error('the cancelled Open never reached the host');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await page.getByTestId('busy').waitFor({ state: 'detached' });
}
