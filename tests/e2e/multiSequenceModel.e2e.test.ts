import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianPython } from '../python.js';
import { repoRoot } from '../repoRoot.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { saveScreenshot } from './support/screenshots.js';

/** What makeMultiSequenceStudy.py prints. */
interface Study {
  readonly study: string;
  readonly bundle: string;
  readonly voxels: Readonly<Record<'Tumor core' | 'Whole tumor' | 'Enhancing tumor', number>>;
}

describe.skipIf(!canLaunchViewer)(`a four-sequence model run from the viewer (${canLaunchViewer ? 'generated MR study' : cannotLaunchReason})`, () => {
  let session: ViewerSession;
  let study: Study;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-multi-'));

  beforeAll(async () => {
    const script = join(repoRoot, 'tests', 'fixtures', 'makeMultiSequenceStudy.py');
    const out = execFileSync(debianPython, [script, scratch], { encoding: 'utf8' }).trim().split('\n');
    study = JSON.parse(out[out.length - 1]!) as Study;
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('1. asks for a series per channel, each pre-chosen by its description', async () => {
    const { viewer, page } = session;
    const counts = await viewer.renderedCounts();
    viewer.host.answerNextOpen(study.study);
    await page.getByTestId('open-folder').click();
    await page
      .getByTestId('series-picker')
      .getByRole('button', { name: /AX T1 POST GD/ })
      .click();
    for (const view of ['axial', 'coronal', 'sagittal'] as const) await viewer.waitForRendered(view, counts[view]);

    await page.getByTestId('model-select').selectOption('choose');
    viewer.host.answerNextOpen(study.bundle);
    await page.getByTestId('run-model').click();
    const dialog = page.getByTestId('model-inputs-dialog');
    await dialog.waitFor();
    const labels = await dialog.locator('label').allInnerTexts();
    expect(labels).toEqual(['T1c', 'T1', 'T2', 'FLAIR']);
    const chosen: string[] = [];
    for (let n = 0; n < 4; n++) {
      chosen.push(
        await dialog
          .getByTestId(`model-input-${n}`)
          .evaluate((select) => (select as unknown as { selectedOptions: { textContent: string | null }[] }).selectedOptions[0]!.textContent ?? ''),
      );
    }
    expect(chosen.map((text) => text.split(' · ')[1])).toEqual(['AX T1 POST GD', 'AX T1', 'AX T2 TSE', 'AX FLAIR']);
    expect(chosen[0]).toMatch(/\(shown\)$/);
    // No UIDs and no long numbers on the screen.
    expect(await dialog.innerText()).not.toMatch(/\d{15}|\d+\.\d+\.\d+\.\d+/);
    expect(await dialog.getByTestId('model-inputs-run').isEnabled()).toBe(true);
    await saveScreenshot(viewer, 'model-inputs', true);
    expect(session.errors).toEqual([]);
  });

  it('2. runs on the four series (FLAIR resampled onto the T1c grid): three overlapping regions as segments, core and rim exact', async () => {
    const { viewer, page, host } = session;
    const before = await viewer.sceneIds();
    await page.getByTestId('model-inputs-run').click();
    await page.getByTestId('model-inputs-dialog').waitFor({ state: 'detached' });
    let maskId: string | null = null;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline && ((maskId = (await viewer.sceneIds()).maskId) === before.maskId || maskId === null)) await page.waitForTimeout(200);
    expect(maskId).not.toBeNull();

    const keys = await viewer.segments.keys();
    const names = await Promise.all(keys.map((key) => page.getByTestId(`segment-name-${key}`).inputValue()));
    expect([...names].sort()).toEqual(['Enhancing tumor', 'Tumor core', 'Whole tumor']);
    // Overlapping regions cannot share one label map: the segments lie in more than one layer.
    const layers = [...new Set(keys.map((key) => Number(key.split(':')[0])))].sort();
    expect(layers.length).toBeGreaterThan(1);

    // Each region's voxels, from the layers as the page fetches them.
    const masks = new Map<string, Uint8Array>();
    for (const layer of layers) {
      const response = await fetch(`${host.url}/data/mask/${encodeURIComponent(`${maskId}:${layer}`)}`);
      expect(response.ok).toBe(true);
      masks.set(String(layer), new Uint8Array(await response.arrayBuffer()));
    }
    const region = (name: string): Uint8Array => {
      const key = keys[names.indexOf(name)]!;
      const [layer, value] = key.split(':');
      return masks.get(layer!)!.map((v) => (v === Number(value) ? 1 : 0));
    };
    const [core, whole, rim] = [region('Tumor core'), region('Whole tumor'), region('Enhancing tumor')];
    const count = (mask: Uint8Array): number => mask.reduce((sum, v) => sum + v, 0);
    // T2 and T1c are on the result's grid: their regions are the phantom's to the voxel.
    expect(count(core)).toBe(study.voxels['Tumor core']);
    expect(count(rim)).toBe(study.voxels['Enhancing tumor']);
    // FLAIR came on a 1.2 mm grid, resampled trilinear: its sphere within 3 %.
    expect(Math.abs(count(whole) - study.voxels['Whole tumor']) / study.voxels['Whole tumor']).toBeLessThan(0.03);
    // Nested as the phantom is: the rim inside the core, the core inside the whole tumour.
    expect(rim.every((v, n) => v === 0 || core[n] === 1)).toBe(true);
    expect(core.every((v, n) => v === 0 || whole[n] === 1)).toBe(true);
    await saveScreenshot(viewer, 'multi-sequence-regions', true);
    expect(session.errors).toEqual([]);
  });
});
