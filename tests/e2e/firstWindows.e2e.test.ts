import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPythonJson } from '../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { viewNames, type PageGlobal } from './pages/pageShapes.js';
import { ctSeriesPath } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;
const ctNifti = sharedData('nifti/totalseg/example_ct_sm.nii.gz');
const mrNifti = sharedData('nifti/totalseg/example_mr_sm.nii.gz');
const ctImagePath = sharedData('dicom/ct-transfer-syntaxes/CTImage.dcm');

/** numpy's 0.5th and 99.5th percentile of the file's non-zero voxels, and its value range, through nibabel. */
function numpyPercentiles(path: string): { low: number; high: number; min: number; max: number } {
  const script = `
import json, sys
import nibabel as nib, numpy as np
d = np.asarray(nib.load(sys.argv[1]).dataobj).astype(np.float64)
low, high = np.percentile(d[d != 0], [0.5, 99.5])
print(json.dumps({'low': float(low), 'high': float(high), 'min': float(d.min()), 'max': float(d.max())}))
`;
  return runPythonJson(script, [path]);
}

/** The presets' names in the bar's order, and which of them are pressed. */
async function presetBar(session: ViewerSession): Promise<{ names: string[]; pressed: string[] }> {
  const buttons = session.page.getByRole('group', { name: 'Window presets' }).getByRole('button');
  const names = await buttons.allInnerTexts();
  const states = await buttons.evaluateAll((list) => list.map((b) => b.getAttribute('aria-pressed')));
  return { names, pressed: names.filter((_, n) => states[n] === 'true') };
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`first windows on NIfTI CT and MR, and the Shortcuts dialog (${reason})`, () => {
  let session: ViewerSession;
  /** A copy of the CT to measure on: the measurement sidecar is written beside the file, never into ../shared/data. */
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'axial-first-windows-'));
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('1. a NIfTI CT in HU (no modality in the file) opens in Soft tissue W400/L40, with the CT presets and Soft tissue pressed', async () => {
    const { viewer, page } = session;
    await viewer.openScan(ctNifti, 'file');
    for (const view of viewNames) expect((await viewer.viewport(view)).window).toEqual({ center: 40, width: 400 });
    expect(await page.getByTestId('window').innerText()).toBe('W 400 / L 40');
    const bar = await presetBar(session);
    expect(bar.names.slice(0, 4)).toEqual(['Soft tissue', 'Lung', 'Bone', 'Brain']);
    expect(bar.names).toContain('Full range');
    expect(bar.pressed).toEqual(['Soft tissue']);
    expect(await page.getByTestId('view3d-preset').inputValue()).toBe('bone');
    // The readout keeps its width: the presets do not move when the numbers grow.
    const before = await page.getByTestId('preset-soft-tissue').boundingBox();
    await viewer.redrawing(viewNames, () => page.getByTestId('preset-lung').click());
    expect(await page.getByTestId('window').innerText()).toBe('W 1500 / L -600');
    expect((await page.getByTestId('preset-soft-tissue').boundingBox())!.x).toBe(before!.x);
    expect((await presetBar(session)).pressed).toEqual(['Lung']);
    await viewer.redrawing(viewNames, () => page.getByTestId('preset-soft-tissue').click());
    await saveScreenshot(viewer, 'first-window-ct-nifti');
    expect(session.errors).toEqual([]);
  });

  it('2. Esc closes the Shortcuts dialog, a click on its backdrop too, and the toolbar answers after', async () => {
    const { page } = session;
    await page.getByTestId('help-open').click();
    await page.getByTestId('help').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('help').waitFor({ state: 'detached' });
    await page.getByTestId('help-open').click();
    await page.getByTestId('help').waitFor();
    await page.mouse.click(4, 4);
    await page.getByTestId('help').waitFor({ state: 'detached' });
    expect(await page.getByTestId('help-backdrop').count()).toBe(0);
    // The buttons under where the backdrop was answer.
    await page.getByTestId('preset-bone').click();
    expect(await page.getByTestId('window').innerText()).toBe('W 1800 / L 400');
    expect((await presetBar(session)).pressed).toEqual(['Bone']);
  });

  it('3. an MR NIfTI opens at 0.5–99.5 % of its non-zero voxels, as numpy finds them, with no HU anywhere', async () => {
    const { viewer, page } = session;
    const reference = numpyPercentiles(mrNifti);
    await viewer.openScan(mrNifti, 'file');
    const { window } = await viewer.viewport('axial');
    // The histogram's bins are (max - min) / 4096 wide; numpy interpolates between the integers.
    const tolerance = (reference.max - reference.min) / 4096 + 0.5;
    expect(Math.abs(window.center - window.width / 2 - reference.low)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(window.center + window.width / 2 - reference.high)).toBeLessThanOrEqual(tolerance);
    const bar = await presetBar(session);
    expect(bar.names).toEqual(['Auto', 'Wide', 'Contrast', 'Full range']);
    expect(bar.pressed).toEqual(['Auto']);
    expect(await page.getByTestId('window').innerText()).toMatch(/^W \d+ \/ L \d+$/);
    expect(await page.locator('body').innerText()).not.toMatch(/\bHU\b/);
    // The 3D view, which showed the CT as bone, shows the MR through its 2D window.
    expect(await page.getByTestId('view3d-preset').inputValue()).toBe('window');
    await saveScreenshot(viewer, 'first-window-mr-nifti', true);
    expect(session.errors).toEqual([]);
  });

  it('4. after opening real CT series, no text on screen is a UID or a number of 15 digits or more; the series is its number and description', async () => {
    const { viewer, page } = session;
    // ct-abdomen-j2k's files are named by their UIDs (its UID tags are empty); CTImage.dcm carries its UIDs, series 2 "HELICAL CHEST".
    for (const [path, source] of [
      [ctSeriesPath, 'folder'],
      [ctImagePath, 'file'],
    ] as const) {
      await viewer.openScan(path, source);
      await viewer.openTab('study');
      const text = await page.locator('body').innerText();
      // What matched, not the whole page, when one does.
      expect(text.match(/\d{15,}|\b\d+(\.\d+){4,}\b/g) ?? [], path).toEqual([]);
    }
    const metadata = await page.getByTestId('metadata').innerText();
    expect(metadata).toMatch(/Series\s+2 · HELICAL CHEST/);
    expect(metadata).toMatch(/Value range\s+-?\d+ … \d+ HU/);
    expect(session.errors).toEqual([]);
  });

  it("5. the first click in another view only activates it, the next moves the crosshair; a label at the view's edge stays inside it", async () => {
    const { viewer, page } = session;
    const copy = join(scratch, 'ct.nii.gz');
    copyFileSync(ctNifti, copy);
    await viewer.openScan(copy, 'file');
    const cursor = (): Promise<string | undefined> => page.evaluate(() => (globalThis as unknown as PageGlobal).__axialViewState?.cursor?.join());
    const start = await cursor();
    const coronal = page.locator('[data-testid="viewport-coronal"] canvas');
    const box = (await coronal.boundingBox())!;
    const point = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.45 };
    await page.mouse.click(point.x, point.y);
    await page.locator('.viewport-frame.active [data-testid="viewport-coronal"]').waitFor();
    expect(await cursor()).toBe(start);
    await page.mouse.click(point.x, point.y);
    await page.waitForFunction((before) => (globalThis as unknown as PageGlobal).__axialViewState?.cursor?.join() !== before, start);

    // A line ending 8 px from the axial view's right edge: its label would start beyond it.
    const axial = (await page.locator('[data-testid="viewport-axial"] canvas').boundingBox())!;
    const y = axial.height / 2;
    await viewer.measurements.drawAtCss('line', 'axial', [
      { x: axial.width - 80, y },
      { x: axial.width - 8, y: y + 20 },
    ]);
    const overlay = page.getByTestId('measurements-axial');
    const label = (await overlay.locator('text').first().boundingBox())!;
    const frame = (await overlay.boundingBox())!;
    expect(label.width).toBeGreaterThan(40);
    expect(label.x).toBeGreaterThanOrEqual(frame.x);
    expect(label.x + label.width).toBeLessThanOrEqual(frame.x + frame.width + 0.5);
    await saveScreenshot(viewer, 'measurement-label-at-edge');
    await viewer.measurements.chooseTool('navigate');
    expect(session.errors).toEqual([]);
  });
});
