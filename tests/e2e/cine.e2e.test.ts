import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { PageGlobal } from './pages/pageShapes.js';
import { readWebmSummary } from './support/readWebmSummary.js';
import { ctSeriesPath } from './support/referenceData.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

describe.skipIf(!hasSharedData || !canLaunchViewer)(`cine, shortcuts and help on the CT series (${reason})`, () => {
  let session: ViewerSession;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-cine-'));

  beforeAll(async () => {
    session = await launchViewer();
    await session.viewer.openScan(ctSeriesPath, 'folder');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('1. lists the shortcuts on ? and applies window presets from the number keys', async () => {
    const { page, viewer } = session;
    await page.keyboard.press('?');
    const help = page.getByTestId('help');
    await help.waitFor();
    expect(await help.innerText()).toMatch(/window presets, in the bar’s order/);
    await page.getByTestId('help-close').click();
    expect(await help.count()).toBe(0);
    // The CT bar: soft tissue, lung, bone, brain; key 3 is bone.
    await viewer.redrawing(['axial'], () => page.keyboard.press('3'));
    expect(await page.getByTestId('window').innerText()).toBe('W 1800 / L 400');
    await viewer.redrawing(['axial'], () => page.keyboard.press('2'));
    expect(await page.getByTestId('window').innerText()).toBe('W 1500 / L -600');
  });

  it('2. plays through the active view’s slices one by one, wrapping after the last', async () => {
    const { page } = session;
    await page.getByTestId('cine-fps').fill('30');
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobal & { __e2eSlices: string[] };
      g.__e2eSlices = [];
      const element = g.document.querySelector('[data-testid="viewport-axial"]')!;
      new g.MutationObserver(() => {
        const slice = element.getAttribute('data-slice')!;
        if (g.__e2eSlices.at(-1) !== slice) g.__e2eSlices.push(slice);
      }).observe(element as never, { attributes: true, attributeFilter: ['data-slice'] } as never);
    });
    await page.getByTestId('cine-play').click();
    await page.waitForFunction(() => (globalThis as unknown as { __e2eSlices: string[] }).__e2eSlices.length >= 25, undefined, { timeout: 30_000 });
    await page.getByTestId('cine-play').click();
    const slices = (await page.evaluate(() => (globalThis as unknown as { __e2eSlices: string[] }).__e2eSlices)).map(Number);
    for (let n = 1; n < 25; n++) expect(slices[n]).toBe((slices[n - 1]! + 1) % 20);
  });

  it('3. records the cine as a WebM movie (VP8/VP9) with one frame per slice, the size of the view', async () => {
    const { page, viewer } = session;
    const path = join(scratch, 'axial-cine');
    viewer.host.answerNextSave(path);
    await page.getByTestId('cine-fps').fill('20');
    const axial = await viewer.viewport('axial');
    await page.getByTestId('cine-record').click();
    await page
      .getByTestId('status')
      .filter({ hasText: /^Saved axial-cine\.webm/ })
      .or(page.getByTestId('error'))
      .first()
      .waitFor({ timeout: 60_000 });
    await viewer.throwOnError();
    expect(existsSync(`${path}.webm`)).toBe(true);
    const webm = readFileSync(`${path}.webm`);
    expect(readWebmSummary(webm)).toEqual({ frames: 20, width: axial.canvas.width, height: axial.canvas.height, codec: expect.stringMatching(/^V_VP[89]$/) });
    expect(session.errors).toEqual([]);
  });
});
