import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../main/nifti/writeNifti.js';
import { makeDemoPhantom } from '../phantoms/makeDemoPhantom.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { saveScreenshot } from './support/screenshots.js';

const demoModel = join(import.meta.dirname, '..', '..', 'models', 'demo-ct-phantom');

/** How often the page has called a channel (the test host's shim calls it over HTTP). */
function countCalls(page: Page, channel: string): { readonly count: number } {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (request.url().includes(encodeURIComponent(channel))) counter.count++;
  });
  return counter;
}

/** Two frames after now: whatever the page dispatched for an answer it already had is on screen. */
const twoFrames = (page: Page): Promise<unknown> => page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');

describe.skipIf(!canLaunchViewer)(`choosing and running a model from the toolbar (${canLaunchViewer ? 'demo model' : cannotLaunchReason})`, () => {
  let session: ViewerSession;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-model-choice-'));
  const phantomPath = join(scratch, 'phantom.nii.gz');
  const broken = join(scratch, 'broken-model');

  beforeAll(async () => {
    const phantom = makeDemoPhantom(7, {
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      spacing: [1.5, 1.5, 2],
    });
    await writeNifti(phantom.image, phantomPath);
    // A bundle whose network is no ONNX file: its metadata reads, its model does not load.
    cpSync(demoModel, broken, { recursive: true });
    writeFileSync(join(broken, 'models', 'model.onnx'), 'this is not an onnx file\n');
    session = await launchViewer();
    await session.viewer.openScan(phantomPath, 'file');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('a closed folder chooser shows nothing and starts nothing', async () => {
    const { page, host } = session;
    const runs = countCalls(page, 'segmentation:run');
    await page.getByTestId('model-select').selectOption('choose');
    host.answerNextOpen(undefined);
    const asked = page.waitForResponse((r) => r.url().includes(encodeURIComponent('model:inputs')));
    await page.getByTestId('run-model').click();
    await asked;
    await twoFrames(page);
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('progress').count()).toBe(0);
    expect(runs.count).toBe(0);
    expect(host.dialogs.at(-1)).toEqual({ kind: 'model' });
  });

  it("a model that cannot be used is told in one plain sentence, main's words (its path) behind Details", async () => {
    const { page, host } = session;
    await page.getByTestId('model-select').selectOption('choose');
    host.answerNextOpen(broken);
    await page.getByTestId('run-model').click();
    await page.getByTestId('error').waitFor({ timeout: 60_000 });
    const sentence = await page.getByTestId('error-message').innerText();
    expect(sentence).toMatch(/^The model run failed: the model's files are damaged or are not a model Axial can run\.$/);
    const details = page.getByTestId('error-details');
    expect(await details.locator('li').first().isVisible()).toBe(false);
    await details.locator('summary').click();
    expect((await details.locator('li').allInnerTexts()).join(' ')).toContain(broken);
    await saveScreenshot(session.viewer, 'model-error-details', true);
    await page.getByTestId('error-dismiss').click();
    // A broken choice is not offered by name.
    expect(await page.getByTestId('model-chosen').count()).toBe(0);
  }, 90_000);

  it('"Model folder…" asks again after a broken choice; a model that ran is offered by its name and runs without asking', async () => {
    const { page, host } = session;
    const dialogsBefore = host.dialogs.length;
    await page.getByTestId('model-select').selectOption('demo');
    await page.getByTestId('model-select').selectOption('choose');
    host.answerNextOpen(demoModel);
    if (await page.getByTestId('model-target').isEnabled()) await page.getByTestId('model-target').selectOption('new');
    await page.getByTestId('run-model').click();
    await page
      .getByTestId('status-message')
      .filter({ hasText: /^Segmented in / })
      .waitFor({ timeout: 120_000 });
    expect(host.dialogs.slice(dialogsBefore)).toEqual([{ kind: 'model' }]);
    // The toolbar names the model (from its bundle's metadata) and has it picked for the next run.
    await page.getByTestId('model-chosen').waitFor({ state: 'attached' });
    expect(await page.getByTestId('model-chosen').innerText()).toBe('demo ct phantom segmentation');
    expect(await page.getByTestId('model-select').inputValue()).toBe('chosen');
    await page.getByTestId('run-model').click();
    await page
      .getByTestId('status-message')
      .filter({ hasText: /^(Added|The model found)/ })
      .waitFor({ timeout: 120_000 });
    expect(host.dialogs.slice(dialogsBefore)).toEqual([{ kind: 'model' }]);
    expect(await page.getByTestId('error').count()).toBe(0);
  }, 240_000);

  it('a double click on Run model starts one run, followed to its result, with no error', async () => {
    const { page } = session;
    const runs = countCalls(page, 'segmentation:run');
    await page.getByTestId('model-select').selectOption('demo');
    // Added to the open segmentation (with none open, a new one): no question comes between the run and its result.
    if (await page.getByTestId('model-target').isEnabled()) await page.getByTestId('model-target').selectOption('append');
    const answered = page.waitForResponse((r) => r.url().includes(encodeURIComponent('segmentation:run')));
    // Two clicks in one task, as a double click lands: faster than any render that would disable the button.
    await page.evaluate(`(() => {
      const button = document.querySelector('[data-testid="run-model"]');
      button.click();
      button.click();
    })()`);
    await answered;
    await page.getByTestId('progress').waitFor({ state: 'attached' });
    await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 120_000 });
    // A second run's result would follow the first's: wait for main to have answered every run call.
    await page.waitForLoadState('networkidle');
    await twoFrames(page);
    expect(runs.count).toBe(1);
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('progress').count()).toBe(0);
    expect(session.errors).toEqual([]);
  }, 180_000);
});
