import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';

/**
 * The viewer by keyboard alone. The series picker and the shortcuts panel are modal: focus starts inside,
 * Tab stays inside, Esc closes, no viewer key (a preset, cine, a slab) acts on the scan behind, and focus
 * goes back to what opened them. A scan opened by keyboard (Open folder…, a series, a recent study) puts
 * focus on the active view, so the arrows scroll it at once. Focusing a view by keyboard makes it the
 * active view (its slab key acts on it) and shows a focus ring.
 */
const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** What these specs read of the page's document (the specs are type-checked without the DOM's types). */
interface FocusElement {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  contains(other: FocusElement | null): boolean;
  matches(selector: string): boolean;
}
interface FocusGlobal {
  readonly document: { readonly activeElement: FocusElement | null; querySelector(selector: string): FocusElement | null };
  getComputedStyle(element: FocusElement, pseudo: string): { content: string; borderTopWidth: string; borderTopStyle: string };
}

/** The data-testid of the focused element, or its tag where it has none (BODY: focus is nowhere). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = (globalThis as unknown as FocusGlobal).document.activeElement;
    return active?.getAttribute('data-testid') ?? active?.tagName ?? 'none';
  });
}

/** Waits two animation frames: a key's state change has been rendered, and any view it changed drawn, by then. */
function afterFrames(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const frame = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number }).requestAnimationFrame;
        frame(() => frame(() => resolve()));
      }),
  );
}

/** Whether the focused element lies inside the element with this test id. */
function focusInside(page: Page, testId: string): Promise<boolean> {
  return page.evaluate((id) => {
    const { document } = globalThis as unknown as FocusGlobal;
    return document.querySelector(`[data-testid="${id}"]`)?.contains(document.activeElement) ?? false;
  }, testId);
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the viewer by keyboard (${reason})`, () => {
  let session: ViewerSession;
  let folder: string;
  const two = (): string => join(folder, 'two');

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-e2e-keys-'));
    mkdirSync(two());
    copyFileSync(sharedData('nifti/totalseg/example_ct_sm.nii.gz'), join(two(), 'ct.nii.gz'));
    copyFileSync(sharedData('nifti/totalseg/example_mr_sm.nii.gz'), join(two(), 'mr.nii.gz'));
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  }, hookTimeoutMs);

  /** Presses Enter on the control with this test id, the host answering the open dialog with `path`. */
  async function enterOn(testId: string, path?: string): Promise<void> {
    const { page, viewer } = session;
    if (path) viewer.host.answerNextOpen(path);
    await page.getByTestId(testId).focus();
    await page.keyboard.press('Enter');
  }

  it('1. the series picker takes focus, keeps Tab inside and closes on Esc, focus back on the opener', async () => {
    const { page } = session;
    await enterOn('welcome-open-folder', two());
    const picker = page.getByTestId('series-picker');
    await picker.waitFor();
    expect(await picker.getAttribute('aria-modal')).toBe('true');
    expect(await focused(page)).toBe('series-1');
    for (let n = 0; n < 4; n++) {
      await page.keyboard.press('Tab');
      expect(await focusInside(page, 'series-picker')).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await focusInside(page, 'series-picker')).toBe(true);
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached', timeout: 5_000 });
    expect(await focused(page)).toBe('welcome-open-folder');
  });

  it('2. a series chosen by Enter opens with focus on the active view: the arrows scroll it', async () => {
    const { page, viewer } = session;
    await enterOn('welcome-open-folder', two());
    await page.getByTestId('series-picker').waitFor();
    expect(await focused(page)).toBe('series-1');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="viewport-axial"][data-rendered]').waitFor();
    await expect.poll(() => focused(page)).toBe('viewport-axial');
    const { slice } = await viewer.viewport('axial');
    await viewer.redrawing(['axial'], () => page.keyboard.press('ArrowUp'));
    expect((await viewer.viewport('axial')).slice).toBe(slice + 1);
  });

  it('3. over a shown scan, the picker lets no viewer key through (preset, cine, slab)', async () => {
    const { page, viewer } = session;
    await page.getByTestId('viewport-axial').focus();
    const before = { window: (await viewer.viewport('axial')).window, slab: await page.getByTestId('viewport-axial').getAttribute('data-slab') };
    await enterOn('open-folder', two());
    await page.getByTestId('series-picker').waitFor();
    expect(await focusInside(page, 'series-picker')).toBe(true);
    for (const key of ['2', 'c', 'm', 'ArrowUp']) await page.keyboard.press(key);
    await afterFrames(page);
    await page.getByTestId('series-picker').waitFor();
    expect(await page.getByTestId('cine-play').getAttribute('aria-pressed')).toBe('false');
    expect({ window: (await viewer.viewport('axial')).window, slab: await page.getByTestId('viewport-axial').getAttribute('data-slab') }).toEqual(before);
    await page.keyboard.press('Escape');
    await page.getByTestId('series-picker').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await focused(page)).toBe('open-folder');
  });

  it('4. the shortcuts panel is modal: keys stay out of the viewer, Tab stays inside, focus returns to the view', async () => {
    const { page, viewer } = session;
    await page.getByTestId('viewport-axial').focus();
    const window = (await viewer.viewport('axial')).window;
    await page.keyboard.press('?');
    const help = page.getByTestId('help');
    await help.waitFor();
    expect(await help.getAttribute('aria-modal')).toBe('true');
    expect(await focused(page)).toBe('help-close');
    for (const key of ['3', 'c', 'b']) await page.keyboard.press(key);
    await afterFrames(page);
    expect(await page.getByTestId('cine-play').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('tool-brush').getAttribute('aria-pressed')).not.toBe('true');
    expect((await viewer.viewport('axial')).window).toEqual(window);
    for (let n = 0; n < 3; n++) {
      await page.keyboard.press('Tab');
      expect(await focusInside(page, 'help')).toBe(true);
    }
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached', timeout: 5_000 });
    expect(await focused(page)).toBe('viewport-axial');
    const { slice } = await viewer.viewport('axial');
    await viewer.redrawing(['axial'], () => page.keyboard.press('ArrowUp'));
    expect((await viewer.viewport('axial')).slice).toBe(slice + 1);
  });

  it('5. opened by its button and closed by Close, the shortcuts panel gives focus back to the button', async () => {
    const { page } = session;
    await page.getByTestId('help-open').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('help').waitFor();
    expect(await focused(page)).toBe('help-close');
    await page.keyboard.press('Enter');
    await page.getByTestId('help').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await focused(page)).toBe('help-open');
  });

  it('5b. ? again closes the shortcuts panel it opened, focus back on the view', async () => {
    const { page } = session;
    await page.getByTestId('viewport-axial').focus();
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await focused(page)).toBe('viewport-axial');
  });

  it('6. Tab onto the coronal view makes it the active view, with a focus ring; its slab key acts on it', async () => {
    const { page, viewer } = session;
    await viewer.activate('axial');
    await page.getByTestId('viewport-axial').focus();
    for (let n = 0; n < 12 && (await focused(page)) !== 'viewport-coronal'; n++) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('viewport-coronal');
    expect(await viewer.isActive('coronal')).toBe(true);
    const ring = await page.getByTestId('viewport-coronal').evaluate((node) => {
      const element = node as unknown as FocusElement;
      const after = (globalThis as unknown as FocusGlobal).getComputedStyle(element, '::after');
      return { visible: element.matches(':focus-visible'), content: after.content, border: after.borderTopWidth, style: after.borderTopStyle };
    });
    expect(ring).toEqual({ visible: true, content: '""', border: '2px', style: 'solid' });
    await viewer.redrawing(['coronal'], () => page.keyboard.press('m'));
    expect(await page.getByTestId('viewport-coronal').getAttribute('data-slab')).not.toBe('');
    expect(await page.getByTestId('viewport-axial').getAttribute('data-slab')).toBe('');
  });

  it('7. a recent study opened by Enter puts focus on the active view', async () => {
    const { page, viewer } = session;
    await page.reload();
    const open = page.getByTestId('recent-study-open').first();
    await open.waitFor();
    await open.focus();
    await page.keyboard.press('Enter');
    // The study is the two-series folder: its picker asks which, and Enter takes the first.
    await page.getByTestId('series-picker').waitFor();
    expect(await focused(page)).toBe('series-1');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="viewport-axial"][data-rendered]').waitFor();
    await expect.poll(() => focused(page)).toBe('viewport-axial');
    const { slice } = await viewer.viewport('axial');
    await viewer.redrawing(['axial'], () => page.keyboard.press('ArrowDown'));
    expect((await viewer.viewport('axial')).slice).toBe(slice - 1);
    expect(session.errors).toEqual([]);
  });
});
