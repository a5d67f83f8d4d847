import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../repoRoot.js';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { LoadPanel, type LoadBarState } from './pages/LoadPanel.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { ctSeriesPath } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** Slices of the long series: enough JPEG 2000 frames that a load runs for seconds, to be watched and cancelled mid-way. */
const sliceCount = 300;
/** A Cancel that has not ended the load by then has hung (main stops its workers within 100 ms; this bound only catches a hang). */
const cancelBoundMs = 15_000;

const loadingText = /^Loading images… (\d+) of (\d+) files$/;

describe.skipIf(!hasSharedData || !canLaunchViewer)(`loading a ${sliceCount}-slice JPEG 2000 series: progress, Cancel, settings (${reason})`, () => {
  let session: ViewerSession;
  let loads: LoadPanel;
  let folder: string;
  let series: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-e2e-long-'));
    series = join(folder, 'long-j2k');
    // The 20 real ct-abdomen-j2k slices repeated along z, their compressed frames kept byte for byte.
    execFileSync('/usr/bin/python3', [join(repoRoot, 'tests', 'fixtures', 'makeLongJ2kSeries.py'), ctSeriesPath, series, String(sliceCount)]);
    session = await launchViewer();
    loads = new LoadPanel(session.page, session.host);
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('a. shows the bar with its file count while the series loads, then the image', async () => {
    const { viewer } = session;
    await loads.record();
    await viewer.openScan(series, 'folder');
    const states = await loads.recorded();
    const loading = states.filter((s) => s.phase === 'loading' && s.total > 0);
    expect(loading.length, JSON.stringify(states.slice(0, 20))).toBeGreaterThanOrEqual(2);
    for (const s of loading) {
      expect(s.total).toBe(sliceCount);
      const [, done, total] = loadingText.exec(s.text) ?? [];
      expect([Number(done), Number(total)], s.text).toEqual([s.done, sliceCount]);
      expect([s.valueNow, s.valueMax]).toEqual([String(s.done), String(sliceCount)]);
    }
    // Reading the 300 headers may end before the bar's 250 ms; where it showed, it counted them in words too.
    const scanning = states.filter((s) => s.phase === 'scanning' && s.total > 0);
    for (const s of scanning) expect(s.text).toBe(`Reading series… ${s.done} of ${s.total} files`);
    console.log(`the bar showed ${scanning.length} scanning and ${loading.length} loading counts: ${loading.map((s) => s.done).join(' ')}`);
    // The count moves on, never back, and was seen mid-way.
    const done = loading.map((s) => s.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.some((n) => n > 0 && n < sliceCount)).toBe(true);
    // The bar is gone, the series drawn whole, with no error.
    expect(await session.page.getByTestId('load-progress').count()).toBe(0);
    const axial = await viewer.viewport('axial');
    expect(axial.slices).toBe(sliceCount);
    expect(axial.window).toEqual({ center: 40, width: 300 });
    await viewer.throwOnError();
    expect(session.errors).toEqual([]);
  });

  it('b. Cancel mid-way (the button, then Esc) ends the load without an error; the shown series stays, and the app still answers', async () => {
    const { viewer, page } = session;
    const shown = (await viewer.sceneIds()).volumeId;
    expect(shown).not.toBeNull();

    await loads.startOpen(series, 'folder');
    const midway: LoadBarState = await loads.waitForBar('loading', 1);
    expect(midway.text).toMatch(loadingText);
    await saveScreenshot(viewer, 'load-progress');
    const cancelled = loads.waitForBarGone(cancelBoundMs);
    await page.getByTestId('load-cancel').click();
    const cancelMs = await cancelled;
    console.log(`load cancelled at ${midway.done} of ${midway.total} files; the bar went ${cancelMs} ms after Cancel (bound ${cancelBoundMs} ms)`);
    expect(await page.getByTestId('error').count()).toBe(0);
    expect((await viewer.sceneIds()).volumeId).toBe(shown);
    expect((await viewer.viewport('axial')).slices).toBe(sliceCount);

    // Esc, from the keyboard, while the bar shows.
    await loads.startOpen(series, 'folder');
    await loads.waitForBar('loading', 1);
    await page.keyboard.press('Escape');
    await loads.waitForBarGone(cancelBoundMs);
    expect(await page.getByTestId('error').count()).toBe(0);
    expect((await viewer.sceneIds()).volumeId).toBe(shown);

    // The app answers, and the same series opens whole.
    expect(await loads.ping()).toBeLessThan(cancelBoundMs);
    const reopened = await viewer.openScan(series, 'folder');
    expect(reopened).not.toBe(shown);
    expect((await viewer.viewport('axial')).slices).toBe(sliceCount);
    await viewer.throwOnError();
    expect(session.errors).toEqual([]);
  });

  it('c. the Settings dialog keeps what is saved (across a reload), and Esc keeps nothing', async () => {
    const { viewer, page } = session;
    expect(await loads.openSettings()).toEqual({ threads: 'auto', philips: 'precise', beside: false });
    // Keyboard: focus starts on the first control, Tab cycles inside the dialog (the radio group once, then
    // the measurements checkbox), and a viewer shortcut (?: the shortcuts' help) does nothing under it.
    const order = [await loads.focused()];
    for (let n = 0; n < 5; n++) {
      await page.keyboard.press('Tab');
      order.push(await loads.focused());
    }
    expect(order).toEqual([
      'settings-threads',
      'settings-philips-precise',
      'settings-measurements-beside',
      'settings-save',
      'settings-cancel',
      'settings-threads',
    ]);
    // On Save (a button: the viewer's shortcuts skip only text fields and selects).
    for (let n = 0; n < 3; n++) await page.keyboard.press('Tab');
    expect(await loads.focused()).toBe('settings-save');
    await page.keyboard.press('?');
    expect(await page.getByTestId('help').count()).toBe(0);
    await loads.choose({ threads: '1', philips: 'display', beside: true });
    await saveScreenshot(viewer, 'settings-dialog');
    await loads.closeSettings('save');
    expect(await page.getByTestId('status').innerText()).toBe('Settings saved; they apply from the next series you open.');
    expect(await loads.mainSettings()).toEqual({ decodeThreads: 1, philipsScaling: 'display', measurementsBesideStudy: true });

    await viewer.goto();
    expect(await loads.openSettings()).toEqual({ threads: '1', philips: 'display', beside: true });
    await loads.choose({ threads: 'auto', philips: 'precise', beside: false });
    await loads.closeSettings('escape');
    expect(await loads.mainSettings()).toEqual({ decodeThreads: 1, philipsScaling: 'display', measurementsBesideStudy: true });
    expect(await loads.openSettings()).toEqual({ threads: '1', philips: 'display', beside: true });
    await loads.closeSettings('escape');
    expect(session.errors).toEqual([]);
  });
});
