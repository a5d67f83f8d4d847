import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { viewNames } from './pages/pageShapes.js';
import { swiftShaderArgs, View3dPage, type View3dState } from './pages/View3dPage.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

const ctScan = sharedData('nifti/totalseg/example_ct_sm.nii.gz');

interface SizedElement {
  readonly clientWidth: number;
  readonly clientHeight: number;
  readonly dataset: Record<string, string | undefined>;
  getBoundingClientRect(): { readonly height: number };
}

interface SizePage {
  readonly __axialViewState?: { readonly viewports: Record<string, { readonly rendered: number; readonly canvas: { readonly height: number } } | undefined> };
  readonly document: { querySelector(selector: string): SizedElement | null };
}

/** The window at width × height, once the 3D view has drawn a settled full frame at its stage's size (a stage of 0 px draws 1 px). */
async function resizeTo(page: Page, view3d: View3dPage, width: number, height: number): Promise<View3dState> {
  await page.setViewportSize({ width, height });
  await page.waitForFunction(
    () => {
      const stage = (globalThis as unknown as SizePage).document.querySelector('[data-testid="viewport-3d"]');
      const d = stage?.dataset;
      return d?.['settled'] === 'true' && d['quality'] === 'full' && d['canvas'] === `${Math.max(1, stage!.clientWidth)}x${Math.max(1, stage!.clientHeight)}`;
    },
    null,
    { timeout: 30_000 },
  );
  return view3d.state();
}

/** Heights in CSS px: the 3D view's title bar and stage, and the axial view's title bar and stage. */
async function heights(page: Page): Promise<{ title3d: number; stage3d: number; title2d: number; stage2d: number }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as SizePage;
    const height = (selector: string): number => document.querySelector(selector)!.getBoundingClientRect().height;
    return {
      title3d: height('.view3d-title'),
      stage3d: height('[data-testid="viewport-3d"]'),
      title2d: height('section.viewport-frame:has([data-testid="viewport-axial"]) > header'),
      stage2d: height('[data-testid="viewport-axial"]'),
    };
  });
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the 3D view in small windows (${reason})`, () => {
  let session: ViewerSession;
  let view3d: View3dPage;

  beforeAll(async () => {
    session = await launchViewer({ extraArgs: swiftShaderArgs, viewport: { width: 1100, height: 700 } });
    view3d = new View3dPage(session.page, session.viewer);
    await session.viewer.openScan(ctScan, 'file');
    await view3d.show('four');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
  }, hookTimeoutMs);

  // The title bar wrapped to four rows and took the whole pane: the 3D stage was 372×150 beside 2D stages of 372×226, and 0 px at 800×500 and 700×400.
  it.each([
    [1100, 700, 180],
    [800, 500, 70],
    [700, 400, 30],
  ])('1. at %i×%i the 3D title bar stays on one line and the picture keeps about the 2D views’ height (at least %i px)', async (width, height, least) => {
    const state = await resizeTo(session.page, view3d, width, height);
    const h = await heights(session.page);
    console.log(`${width}×${height}: 3D title ${h.title3d} px, stage ${state.css.width}×${h.stage3d}; axial title ${h.title2d} px, stage ${h.stage2d}`);
    expect(h.title3d).toBeLessThanOrEqual(h.title2d + 8);
    expect(h.stage3d).toBeGreaterThanOrEqual(least);
    expect(h.stage3d).toBeGreaterThanOrEqual(h.stage2d - 8);
    expect(state.canvas).toEqual(state.css);
    expect(session.errors).toEqual([]);
  });

  it('2. at 800×500 the controls that do not fit open from More, and they still work', async () => {
    const { page, viewer } = session;
    await resizeTo(page, view3d, 800, 500);
    await saveScreenshot(viewer, 'view3d-800x500');
    const more = page.getByTestId('view3d-more');
    expect(await more.count()).toBe(1);
    expect(await page.getByTestId('view3d-from-inferior').isVisible()).toBe(false);
    await more.locator(':scope > summary').click();
    for (const id of ['view3d-from-inferior', 'view3d-labels', 'view3d-clip']) expect(await page.getByTestId(id).isVisible(), id).toBe(true);
    await saveScreenshot(viewer, 'view3d-800x500-more');
    const state = await view3d.lookFrom('inferior');
    expect(state.quality).toBe('full');
    await more.locator(':scope > summary').click();
    expect(await page.getByTestId('view3d-from-inferior').isVisible()).toBe(false);
    expect(session.errors).toEqual([]);
  });

  it('3. a wide window unfolds the title bar again: every control and Details back on its one line', async () => {
    const { page } = session;
    await resizeTo(page, view3d, 1400, 900);
    expect(await page.getByTestId('view3d-more').count()).toBe(0);
    for (const id of ['view3d-preset', 'view3d-from-anterior', 'view3d-labels', 'view3d-clip', 'view3d-quality']) {
      expect(await page.getByTestId(id).isVisible(), id).toBe(true);
    }
    const h = await heights(page);
    expect(h.title3d).toBeLessThanOrEqual(h.title2d + 8);
  });

  it('4. squeezing the views to no height (420×300) and back throws no page errors, and every view draws again', async () => {
    const { page, viewer } = session;
    await resizeTo(page, view3d, 1100, 700);
    const counts = await viewer.renderedCounts();
    await page.setViewportSize({ width: 420, height: 300 });
    // Wait for the 2D views' redraw at 0 px: their counters move on, or (as before the fix) their render callback throws.
    await expect
      .poll(
        async () =>
          session.errors.length > 0 ||
          (await page.evaluate(
            ([names, before]) => {
              const viewports = (globalThis as unknown as SizePage).__axialViewState?.viewports ?? {};
              return names.every((name) => (viewports[name]?.rendered ?? 0) > before[name]! && viewports[name]!.canvas.height === 0);
            },
            [viewNames, counts] as const,
          )),
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(session.errors).toEqual([]);
    const squeezed = await viewer.renderedCounts();
    await resizeTo(page, view3d, 1100, 700);
    for (const view of viewNames) {
      await viewer.waitForRendered(view, squeezed[view]);
      const shown = await viewer.viewport(view);
      expect(shown.canvas.height, view).toBeGreaterThan(100);
    }
    expect(session.errors).toEqual([]);
  });
});
