import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, chromiumArgs, chromiumPath } from './pages/launchViewer.js';
import type { PageGlobal } from './pages/pageShapes.js';
import { ViewerPage } from './pages/ViewerPage.js';
import { startHostProcess, type HostProcess } from './support/startHostProcess.js';
import { ctSeriesPath } from './support/referenceData.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

describe.skipIf(!hasSharedData || !canLaunchViewer)(`edits survive a crash (${reason})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-recovery-'));
  const recoveryDir = join(scratch, 'recovery');
  const browsers: Browser[] = [];
  const hosts: HostProcess[] = [];

  /** The app as a user starts it: a host process and a browser page on it. */
  async function startApp(): Promise<ViewerPage> {
    const host = await startHostProcess(recoveryDir);
    hosts.push(host);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
    browsers.push(browser);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    const viewer = new ViewerPage(page, host);
    await viewer.goto();
    return viewer;
  }

  /** The mask's label bytes as the host serves them. */
  async function labelBytes(viewer: ViewerPage): Promise<Buffer> {
    const { maskId } = await viewer.sceneIds();
    const response = await fetch(`${viewer.host.url}/data/mask/${encodeURIComponent(`${maskId}:0`)}`);
    expect(response.ok).toBe(true);
    return Buffer.from(await response.arrayBuffer());
  }

  afterAll(async () => {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    for (const host of hosts) await host.close().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('kills the app mid-edit; reopening the scan offers the edits, and restoring gives back every voxel, name and lock', async () => {
    const first = await startApp();
    await first.openScan(ctSeriesPath, 'folder');
    const { editing, page } = first;
    await editing.addSegment();
    await editing.chooseTool('brush');
    await editing.setBrush(8, 'disc');
    const axial = await first.viewport('axial');
    await editing.dabAt('axial', [250, 250, axial.slice]);
    await editing.dabAt('axial', [300, 280, axial.slice]);
    await page.getByTestId('segment-name-0:1').fill('lesion');
    await page.getByTestId('segment-name-0:1').press('Enter');
    await page.getByTestId('segment-lock-0:1').check();
    await page.waitForFunction(() => {
      const panel = (globalThis as unknown as PageGlobal).document.querySelector('[data-testid="segments"]');
      return panel?.getAttribute('data-revision') === panel?.getAttribute('data-stats-revision');
    });
    const before = await editing.stats('0:1');
    const bytes = await labelBytes(first);
    expect(before.voxels).toBeGreaterThan(300);

    // The crash: the host is killed outright and the window goes with it; nothing was saved.
    await hosts[0]!.crash();
    await browsers[0]!.close();
    expect(readdirSync(recoveryDir)).toHaveLength(1);

    const second = await startApp();
    await second.openScan(ctSeriesPath, 'folder');
    const banner = second.page.getByTestId('recovery');
    await banner.waitFor();
    expect(Number(await banner.getAttribute('data-edits'))).toBeGreaterThanOrEqual(4);
    expect(await banner.innerText()).toMatch(/unsaved edits to “CT Body 3\.0 segmentation”/);
    expect(await second.page.getByTestId('recovery-restore').innerText()).toMatch(/^Restore \d+ edits$/);
    const { maskId: none } = await second.sceneIds();
    expect(none).toBeNull();
    await second.page.getByTestId('recovery-restore').click();
    await second.page.waitForFunction(() => (globalThis as unknown as PageGlobal).__axialViewState?.maskId != null);
    await second.page.getByTestId('segment-0:1').waitFor();
    expect(await second.page.getByTestId('segment-name-0:1').inputValue()).toBe('lesion');
    expect(await second.page.getByTestId('segment-lock-0:1').isChecked()).toBe(true);
    expect(await second.editing.stats('0:1')).toEqual(before);
    expect((await labelBytes(second)).equals(bytes)).toBe(true);
    expect(await banner.count()).toBe(0);

    // Restored edits stay unsaved until saved or discarded: quitting normally keeps their journal, and the next start offers them again.
    await hosts[1]!.close();
    await browsers[1]!.close();
    expect(readdirSync(recoveryDir)).toHaveLength(1);
    const third = await startApp();
    await third.openScan(ctSeriesPath, 'folder');
    await third.page.getByTestId('recovery').waitFor();
    expect(Number(await third.page.getByTestId('recovery').getAttribute('data-edits'))).toBeGreaterThanOrEqual(4);
  });
});
