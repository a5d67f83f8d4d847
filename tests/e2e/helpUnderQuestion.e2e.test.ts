import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';

/**
 * A modal over a modal: the Save / Discard question (a model's result arriving for a new segmentation while
 * edits are unsaved) opens over the shortcuts panel. The keys typed into the question are its own: ? and F1,
 * which open and close the panel, leave the panel under it open, and focus stays in the question (the review's
 * r6.mjs: '?' closed Help underneath and pulled focus to the view while the question stayed open). Once the
 * question is answered, focus is back in the panel, and the panel's Esc puts it on the view that opened it.
 */
const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** The data-testid of the focused element, or the id of the dialog it lies in, or its tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    interface Element {
      readonly tagName: string;
      getAttribute(name: string): string | null;
      closest(selector: string): Element | null;
    }
    const active = (globalThis as unknown as { document: { activeElement: Element | null } }).document.activeElement;
    const inQuestion = active?.closest('[data-testid="unsaved-dialog"]') ? 'in unsaved-dialog: ' : '';
    return inQuestion + (active?.getAttribute('data-testid') ?? active?.tagName ?? 'none');
  });
}

/** Waits two animation frames: a close the key caused has been rendered by then. */
function afterFrames(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const frame = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number }).requestAnimationFrame;
        frame(() => frame(() => resolve()));
      }),
  );
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the shortcuts panel under the Save / Discard question (${reason})`, () => {
  let session: ViewerSession;

  beforeAll(async () => {
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
  }, hookTimeoutMs);

  it('? and F1 typed in the question leave the panel open and focus in the question', async () => {
    const { page, viewer } = session;
    await viewer.openScan(sharedData('nifti/totalseg/example_ct_sm.nii.gz'), 'file');
    await viewer.editing.addSegment();
    await page.getByTestId('model-select').selectOption('demo');
    if (await page.getByTestId('model-target').isEnabled()) await page.getByTestId('model-target').selectOption('new');
    await page.getByTestId('run-model').click();
    await page.getByTestId('viewport-axial').focus();
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    await viewer.unsavedDialog().waitFor({ timeout: 180_000 });
    expect(await focused(page)).toBe('in unsaved-dialog: unsaved-save');

    for (const key of ['?', 'F1']) {
      await page.keyboard.press(key);
      await afterFrames(page);
      expect([key, await page.getByTestId('help').count(), await viewer.unsavedDialog().count(), await focused(page)]).toEqual([
        key,
        1,
        1,
        'in unsaved-dialog: unsaved-save',
      ]);
    }

    await page.keyboard.press('Escape');
    await viewer.unsavedDialog().waitFor({ state: 'detached', timeout: 5_000 });
    expect(await focused(page)).toBe('help-close');
    await page.keyboard.press('Escape');
    await page.getByTestId('help').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await focused(page)).toBe('viewport-axial');
  });
});
