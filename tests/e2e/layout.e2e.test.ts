import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { viewNames, type SideTab } from './pages/pageShapes.js';
import { swiftShaderArgs } from './pages/View3dPage.js';
import { ctSeriesPath, totalsegLabelsPath } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return box;
}

/** Each pane's box (its frame: title and picture), the 2D views by name and the 3D view as '3d', for the panes shown. */
async function paneBoxes(page: Page): Promise<Map<string, Box>> {
  const boxes = new Map<string, Box>();
  for (const name of [...viewNames, '3d']) {
    const stage = page.getByTestId(`viewport-${name}`);
    if ((await stage.count()) === 0) continue;
    boxes.set(name, await boxOf(stage.locator('xpath=ancestor::section[contains(@class, "viewport-frame")][1]')));
  }
  return boxes;
}

/** The picture's own box (the canvas's stage, under the pane's title). */
async function pictureBox(page: Page, name: string): Promise<Box> {
  return boxOf(page.getByTestId(`viewport-${name}`));
}

/** The toolbar's controls all sit in one row (their tops within 4 px) and inside the window's width. */
async function expectToolbarOneRow(page: Page, width: number): Promise<void> {
  const tops = await page.locator('nav.toolbar button, nav.toolbar select').evaluateAll((elements) =>
    elements.map((e) => {
      const r = (e as unknown as { getBoundingClientRect(): { top: number; right: number } }).getBoundingClientRect();
      return { top: r.top, right: r.right };
    }),
  );
  expect(tops.length).toBeGreaterThanOrEqual(10);
  const first = tops[0]!.top;
  for (const t of tops) {
    expect(Math.abs(t.top - first)).toBeLessThanOrEqual(4);
    expect(t.right).toBeLessThanOrEqual(width);
  }
  expect((await boxOf(page.locator('nav.toolbar'))).height).toBeLessThan(50);
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the layout at 1400×900 (${reason})`, () => {
  let session: ViewerSession;

  beforeAll(async () => {
    session = await launchViewer({ extraArgs: swiftShaderArgs });
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
  }, hookTimeoutMs);

  it('1. the first screen fills the view area: Open file, Open folder, a large drop area, what opens, and the recent studies slot', async () => {
    const { page, viewer } = session;
    const drop = await boxOf(page.getByTestId('welcome-drop'));
    console.log(`first screen: drop area ${drop.width}×${drop.height} px`);
    expect(drop.width).toBeGreaterThanOrEqual(1200);
    expect(drop.height).toBeGreaterThanOrEqual(600);
    expect(await page.getByTestId('welcome-open-file').isVisible()).toBe(true);
    expect(await page.getByTestId('welcome-open-folder').isVisible()).toBe(true);
    expect(await page.getByTestId('welcome-formats').innerText()).toMatch(/DICOM.*NIfTI.*NRRD/);
    // The slot another task fills: there, and empty (no made-up studies).
    expect(await page.getByTestId('recent-studies-slot').count()).toBe(1);
    expect(await page.getByTestId('recent-studies-slot').innerHTML()).toBe('');
    await expectToolbarOneRow(page, 1400);
    await saveScreenshot(viewer, 'first-screen');
    expect(session.errors).toEqual([]);
  });

  it("2. the CT opened from the first screen's Open folder shows 2×2 by default: four panes of sensible size, two by two", async () => {
    const { page, viewer, host } = session;
    await viewer.openFromWelcome(ctSeriesPath, 'folder');
    expect(host.dialogs.at(-1)).toEqual({ kind: 'folder' });
    expect(await page.getByTestId('layout-four').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('layout-four').innerText()).toBe('2×2');
    expect(await page.getByTestId('layout-three').innerText()).toBe('1×3');
    expect(await page.getByTestId('layout-one').innerText()).toBe('1 view');
    const panes = await paneBoxes(page);
    expect([...panes.keys()]).toEqual(['axial', 'coronal', 'sagittal', '3d']);
    for (const [name, box] of panes) {
      const picture = await pictureBox(page, name);
      console.log(
        `2×2 ${name}: pane ${Math.round(box.width)}×${Math.round(box.height)} at ${Math.round(box.x)},${Math.round(box.y)}, ` +
          `picture ${Math.round(picture.width)}×${Math.round(picture.height)}`,
      );
      expect(picture.width, name).toBeGreaterThanOrEqual(400);
      expect(picture.height, name).toBeGreaterThanOrEqual(280);
      // No tall narrow panes: each is about as wide as it is high, or wider.
      expect(box.width / box.height, name).toBeGreaterThanOrEqual(0.8);
      expect(box.width / box.height, name).toBeLessThanOrEqual(2);
    }
    const [a, c, s, v] = ['axial', 'coronal', 'sagittal', '3d'].map((n) => panes.get(n)!);
    // Two by two: axial | coronal over sagittal | 3D, the same sizes, none overlapping.
    expect(Math.abs(a!.y - c!.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(s!.y - v!.y)).toBeLessThanOrEqual(1);
    expect(s!.y).toBeGreaterThanOrEqual(a!.y + a!.height);
    expect(c!.x).toBeGreaterThanOrEqual(a!.x + a!.width);
    expect(Math.abs(a!.width - v!.width)).toBeLessThanOrEqual(2);
    // The side panel and the views share the window without overlap.
    const side = await boxOf(page.getByTestId('side-panel'));
    expect(c!.x + c!.width).toBeLessThanOrEqual(side.x);
    expect(side.width).toBeGreaterThanOrEqual(340);
    await expectToolbarOneRow(page, 1400);
    // The 3D view draws in its pane (SwiftShader), then the picture for the README.
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string> } | null } }).document.querySelector(
          '[data-testid="viewport-3d"]',
        )?.dataset['settled'] === 'true',
      null,
      { timeout: 120_000 },
    );
    await viewer.choosePreset('soft-tissue');
    await saveScreenshot(viewer, 'ct-2x2');
    expect(session.errors).toEqual([]);
  }, 180_000);

  it('3. 1×3 puts the three planes in a row, 1 view shows the active view alone, and the choice is kept for the session', async () => {
    const { page, viewer } = session;
    await viewer.redrawing(viewNames, () => page.getByTestId('layout-three').click());
    let panes = await paneBoxes(page);
    expect([...panes.keys()]).toEqual(['axial', 'coronal', 'sagittal']);
    const row = [...panes.values()];
    for (const box of row) {
      expect(Math.abs(box.y - row[0]!.y)).toBeLessThanOrEqual(1);
      expect(Math.abs(box.width - row[0]!.width)).toBeLessThanOrEqual(2);
    }
    expect(row[1]!.x).toBeGreaterThanOrEqual(row[0]!.x + row[0]!.width);

    await page.getByTestId('layout-view').selectOption('coronal');
    await viewer.redrawing(['coronal'], () => page.getByTestId('layout-one').click());
    panes = await paneBoxes(page);
    expect([...panes.keys()]).toEqual(['coronal']);
    const one = await pictureBox(page, 'coronal');
    console.log(`1 view: ${Math.round(one.width)}×${Math.round(one.height)}`);
    expect(one.width).toBeGreaterThanOrEqual(900);
    expect(one.height).toBeGreaterThanOrEqual(600);

    // Kept for the session: a reload opens the next scan in the last layout chosen.
    await viewer.redrawing(viewNames, () => page.getByTestId('layout-three').click());
    await page.reload();
    await page.getByTestId('welcome-open-folder').waitFor();
    await viewer.openScan(ctSeriesPath, 'folder');
    expect(await page.getByTestId('layout-three').getAttribute('aria-pressed')).toBe('true');
    expect([...(await paneBoxes(page)).keys()]).toEqual(['axial', 'coronal', 'sagittal']);
    await page.getByTestId('layout-four').click();
    await page.getByTestId('viewport-3d').waitFor();
    expect(session.errors).toEqual([]);
  });

  it('4. the side panel is four tabs, each showing its own content, driven by the keyboard too', async () => {
    const { page, viewer } = session;
    const content: Record<SideTab, string> = { study: 'metadata', segments: 'add-segment', edit: 'brush-radius', measure: 'export-measurements' };
    for (const tab of Object.keys(content) as SideTab[]) {
      await viewer.openTab(tab);
      expect(await page.getByTestId(`side-tab-${tab}`).getAttribute('aria-selected')).toBe('true');
      expect(await page.getByTestId(content[tab]).isVisible(), tab).toBe(true);
      for (const other of Object.keys(content) as SideTab[])
        if (other !== tab) expect(await page.getByTestId(content[other]).isVisible(), `${other} under ${tab}`).toBe(false);
    }
    expect(await page.getByTestId('metadata').innerText()).toContain('CT');
    expect(await page.getByRole('tablist').getAttribute('aria-label')).toBe('Side panel');
    expect(await page.getByRole('tab').count()).toBe(4);

    // Arrow keys move between tabs (wrapping), Home and End to the ends; the focus follows.
    await page.getByTestId('side-tab-study').click();
    const selected = async (): Promise<string> => (await page.locator('[role="tab"][aria-selected="true"]').getAttribute('data-testid')) ?? '';
    const focused = async (): Promise<string> =>
      page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute(
            'data-testid',
          ) ?? '',
      );
    await page.keyboard.press('ArrowRight');
    expect([await selected(), await focused()]).toEqual(['side-tab-segments', 'side-tab-segments']);
    await page.keyboard.press('End');
    expect(await selected()).toBe('side-tab-measure');
    await page.keyboard.press('ArrowRight');
    expect(await selected()).toBe('side-tab-study');
    await page.keyboard.press('ArrowLeft');
    expect([await selected(), await focused()]).toEqual(['side-tab-measure', 'side-tab-measure']);
    await page.keyboard.press('Home');
    expect(await selected()).toBe('side-tab-study');
    // Only the selected tab is in the Tab order.
    expect(await page.locator('[role="tab"][tabindex="0"]').count()).toBe(1);
    expect(session.errors).toEqual([]);
  });

  it("5. TotalSegmentator's labels bring the Segments tab forward: Lock and Delete in the panel, its own scroll, from the top when reopened", async () => {
    const { page, viewer } = session;
    await viewer.openLabels(totalsegLabelsPath);
    expect(await page.getByTestId('side-tab-segments').getAttribute('aria-selected')).toBe('true');
    await expectSegmentTableFits(page);
    const panel = page.getByTestId('side-panel-segments');
    const scrolled = await panel.evaluate((e) => {
      const el = e as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
      el.scrollTop = el.scrollHeight;
      return { top: el.scrollTop, height: el.scrollHeight, client: el.clientHeight };
    });
    console.log(`segments tab: ${scrolled.height} px of content in ${scrolled.client} px, scrolled to ${scrolled.top}`);
    expect(scrolled.top).toBeGreaterThan(0);
    // The page itself does not scroll: only the tab's panel does.
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { scrollingElement: { scrollHeight: number; clientHeight: number } } }).document.scrollingElement.scrollHeight,
      ),
    ).toBeLessThanOrEqual(900);
    await viewer.openTab('study');
    await viewer.openTab('segments');
    expect(await panel.evaluate((e) => (e as unknown as { scrollTop: number }).scrollTop)).toBe(0);
    await saveScreenshot(viewer, 'ct-totalseg-2x2');
    expect(session.errors).toEqual([]);
  });

  it('6. the palette keeps the tools in sight whatever the tab: a line drawn from it is listed, renamed and deleted in the Measure tab', async () => {
    const { page, viewer } = session;
    const slice = (await viewer.viewport('axial')).slice;
    await viewer.openTab('study');
    const { row } = await viewer.measurements.drawLine('axial', [150, 200, slice], [350, 330, slice]);
    expect(row.kind).toBe('line');
    expect(await page.getByTestId('side-tab-measure').innerText()).toMatch(/^Measure\s*1$/);
    // The page object stepped into Measure and back: Study is in front again.
    await viewer.measurements.rename(0, 'aorta to spine');
    expect((await viewer.measurements.rows())[0]!.name).toBe('aorta to spine');
    expect(await page.getByTestId('side-tab-study').getAttribute('aria-selected')).toBe('true');
    await viewer.measurements.delete(0);
    expect(await viewer.measurements.rows()).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});

/**
 * Every segment row's Lock and Delete lie inside the side panel, the table no
 * wider than the panel; a row's details open with SD, min and max, rounded
 * as the row's full-precision figures give.
 */
async function expectSegmentTableFits(page: Page): Promise<void> {
  const side = await boxOf(page.getByTestId('side-panel'));
  const table = await boxOf(page.getByTestId('segment-list'));
  expect(table.x + table.width).toBeLessThanOrEqual(side.x + side.width);
  const keys = await page
    .locator('tbody tr[data-segment]')
    .evaluateAll((rows) => rows.map((r) => (r as unknown as { getAttribute(n: string): string }).getAttribute('data-segment')));
  expect(keys.length).toBeGreaterThanOrEqual(10);
  for (const key of keys.slice(0, 3)) {
    for (const control of ['lock', 'delete', 'name']) {
      const box = await boxOf(page.getByTestId(`segment-${control}-${key}`));
      expect(box.x, `${control} of ${key}`).toBeGreaterThanOrEqual(side.x);
      expect(box.x + box.width, `${control} of ${key}`).toBeLessThanOrEqual(side.x + side.width);
      if (control !== 'name') expect(box.width, `${control} of ${key}`).toBeGreaterThanOrEqual(10);
    }
  }
  const first = keys[0]!;
  const row = page.getByTestId(`segment-${first}`);
  const [ml, mean, sd, min, max] = await Promise.all(
    ['data-ml', 'data-mean', 'data-sd', 'data-min', 'data-max'].map(async (a) => Number(await row.getAttribute(a))),
  );
  expect(await row.locator('[data-stat="ml"]').innerText()).toBe(ml! < 0.05 ? '<0.1' : ml!.toFixed(1));
  // A CT's range spans thousands of HU: whole HU.
  expect(await row.locator('[data-stat="mean"]').innerText()).toBe(String(Math.round(mean!)));
  await page.getByTestId(`segment-more-${first}`).click();
  const details = await page.getByTestId(`segment-details-${first}`).innerText();
  expect(details).toContain(`SD ${Math.round(sd!)} HU`);
  expect(details).toContain(`min ${Math.round(min!)} HU`);
  expect(details).toContain(`max ${Math.round(max!)} HU`);
  await page.getByTestId(`segment-more-${first}`).click();
  expect(await page.getByTestId(`segment-details-${first}`).count()).toBe(0);
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the layout at 1280×800 (${reason})`, () => {
  let session: ViewerSession;

  beforeAll(async () => {
    session = await launchViewer({ viewport: { width: 1280, height: 800 } });
    await session.viewer.openScan(ctSeriesPath, 'folder');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
  }, hookTimeoutMs);

  it('7. the toolbar keeps one row, 2×2 panes stay sensible, and the segment table fits with Lock and Delete in sight', async () => {
    const { page, viewer } = session;
    await expectToolbarOneRow(page, 1280);
    for (const name of (await paneBoxes(page)).keys()) {
      const box = await pictureBox(page, name);
      console.log(`1280×800, 2×2 ${name}: picture ${Math.round(box.width)}×${Math.round(box.height)}`);
      expect(box.width, name).toBeGreaterThanOrEqual(380);
      expect(box.height, name).toBeGreaterThanOrEqual(240);
      expect(box.width / box.height, name).toBeLessThanOrEqual(2.2);
    }
    await viewer.openLabels(totalsegLabelsPath);
    await expectSegmentTableFits(page);
    await saveScreenshot(viewer, 'ct-totalseg-1280');
    expect(session.errors).toEqual([]);
  });
});
