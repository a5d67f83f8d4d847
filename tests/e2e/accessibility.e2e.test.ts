import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { seriousAxeViolations } from './support/seriousAxeViolations.js';

/**
 * axe-core finds no serious or critical accessibility violation on any of the viewer's screens: the welcome
 * screen (empty, then listing recent studies), a loaded CT (the 2×2 layout, the 3D view included), the segment panel
 * with a label map, the series picker, Settings, the Save / Discard question and the keyboard shortcuts. Each screen is checked as the user
 * reaches it, with real data from ../shared/data.
 */
const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

describe.skipIf(!hasSharedData || !canLaunchViewer)(`axe-core on every screen (${reason})`, () => {
  let session: ViewerSession;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-e2e-a11y-'));
    mkdirSync(join(folder, 'two'));
    copyFileSync(sharedData('nifti/totalseg/example_ct_sm.nii.gz'), join(folder, 'two', 'ct.nii.gz'));
    copyFileSync(sharedData('nifti/totalseg/example_mr_sm.nii.gz'), join(folder, 'two', 'mr.nii.gz'));
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('1. the welcome screen', async () => {
    expect(await seriousAxeViolations(session.page)).toEqual([]);
  });

  it('2. a loaded CT in the 2×2 layout, its views included', async () => {
    const { viewer, page } = session;
    await viewer.openScan(sharedData('nifti/totalseg/example_ct_sm.nii.gz'), 'file');
    await page.getByTestId('viewport-3d').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('3. the segment panel with a label map', async () => {
    const { viewer, page } = session;
    await viewer.openLabels(sharedData('nifti/totalseg/example_seg.nii.gz'));
    await viewer.openTab('segments');
    await page.locator('[data-testid^="segment-"][data-active]').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('4. Settings', async () => {
    const { page } = session;
    await page.getByTestId('settings-open').click();
    await page.getByTestId('settings-threads').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
  });

  it('5. the keyboard shortcuts', async () => {
    const { page } = session;
    await page.getByTestId('help-open').click();
    await page.getByTestId('help').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('help').waitFor({ state: 'detached' });
  });

  it('6. the Save / Discard question about unsaved edits', async () => {
    const { viewer, page } = session;
    await viewer.editing.addSegment();
    const shown = (await viewer.sceneIds()).volumeId;
    viewer.host.answerNextOpen(sharedData('nifti/totalseg/example_mr_sm.nii.gz'));
    await page.getByTestId('open-file').click();
    await viewer.unsavedDialog().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await viewer.answerUnsaved('discard');
    await expect.poll(async () => (await viewer.sceneIds()).volumeId, { timeout: 30_000 }).not.toBe(shown);
  });

  it('7. the series picker', async () => {
    const { viewer, page } = session;
    viewer.host.answerNextOpen(join(folder, 'two'));
    await page.getByTestId('open-folder').click();
    await page.getByTestId('series-picker').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('8. the welcome screen again after a reload, now listing the studies opened (their Open and Remove buttons)', async () => {
    const { page } = session;
    await page.reload();
    await page.getByTestId('recent-study').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
