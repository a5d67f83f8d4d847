import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestHost, type TestHost, type TestHostOptions } from '../../host/startTestHost.js';
import { repoRoot } from '../../repoRoot.js';
import { ViewerPage } from './ViewerPage.js';

/** Debian's Chromium; Playwright downloads no browser here. */
export const chromiumPath = '/usr/bin/chromium';

/** Headless, no GPU, and nothing that reaches the network on its own. */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The renderer's test build (npm run build:renderer), with the test port that publishes what the views drew. */
export const rendererDir = join(repoRoot, 'dist', 'renderer-test');

/** For the specs' beforeAll/afterAll: starting Chromium and reading a series can outlast Vitest's 10 s default on a busy machine. */
export const hookTimeoutMs = 120_000;

/** Whether the e2e specs can run: the built renderer and Debian's Chromium are both here. */
export const canLaunchViewer = existsSync(join(rendererDir, 'index.html')) && existsSync(chromiumPath);
/** For spec titles: why the e2e specs were skipped, when they were. */
export const cannotLaunchReason = !existsSync(join(rendererDir, 'index.html'))
  ? `SKIPPED: no built renderer at ${rendererDir} (npm run build)`
  : `SKIPPED: no Chromium at ${chromiumPath} (apt-get install chromium)`;

export interface LaunchOptions {
  /** The built renderer to serve (default dist/renderer-test). */
  readonly rendererDir?: string;
  /** CSS px of the page (default 1400 × 900). */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Flags added to chromiumArgs. */
  readonly extraArgs?: readonly string[];
  readonly host?: Omit<TestHostOptions, 'rendererDir'>;
}

/** The test host, Chromium and one page on the viewer; `errors` collects the page's uncaught errors and console errors. */
export interface ViewerSession {
  readonly host: TestHost;
  readonly browser: Browser;
  readonly page: Page;
  readonly viewer: ViewerPage;
  readonly errors: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts the loopback test host on the built renderer, launches Chromium and
 * opens the viewer, ready for a scan.
 * @throws Error when the renderer is not built or Chromium cannot start.
 */
export async function launchViewer(options: LaunchOptions = {}): Promise<ViewerSession> {
  const served = options.rendererDir ?? rendererDir;
  if (!existsSync(join(served, 'index.html'))) throw new Error(`no built renderer at ${served}: run npm run build`);
  const host = await startTestHost({ ...options.host, rendererDir: served });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...(options.extraArgs ?? [])] });
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    const viewer = new ViewerPage(page, host);
    await viewer.goto();
    const opened = browser;
    return {
      host,
      browser: opened,
      page,
      viewer,
      errors,
      async close() {
        await opened.close();
        await host.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await host.close();
    throw error;
  }
}
