import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../main/volume/Volume.js';
import { volumeToRasAffine } from '../../main/volume/volumeTransforms.js';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { viewNames } from './pages/pageShapes.js';
import { checkOverlayPixels } from './support/checkOverlayPixels.js';
import { fillAlpha, voxelValue, type Rgb } from './support/expectedPixels.js';
import { readBackWithNibabel } from './support/readBackWithNibabel.js';
import { ctSeriesPath, deepestVoxel, labelsOnGrid, liverLabel, loadFirstVolume, sliceWithMost, totalsegLabelsPath } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

describe.skipIf(!hasSharedData || !canLaunchViewer)(`TotalSegmentator's labels over the CT series (${reason})`, () => {
  let session: ViewerSession;
  let ct: Volume;
  let labels: Uint16Array;
  let colours: Map<number, Rgb>;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-labels-'));

  /** Every view's pixels: grey where unlabelled or hidden, the segment's colour at `alpha` over the grey where labelled. */
  async function expectOverlay(alpha: number, hidden: readonly number[] = []): Promise<void> {
    const shown = new Map([...colours].filter(([value]) => !hidden.includes(value)));
    for (const view of viewNames) {
      const check = await checkOverlayPixels(session.viewer, ct, view, { labels, colours: shown, alpha });
      expect(check.misses, `${view} at alpha ${alpha}, hidden ${hidden.join(',')}`).toEqual([]);
      // The liver lies in every view at the crosshair, and so does unlabelled tissue.
      expect(check.checkedByLabel.get(liverLabel) ?? 0, `${view}: liver pixels compared`).toBeGreaterThanOrEqual(10);
      expect(check.checkedByLabel.get(0) ?? 0, `${view}: unlabelled pixels compared`).toBeGreaterThanOrEqual(50);
    }
  }

  beforeAll(async () => {
    ct = await loadFirstVolume(ctSeriesPath);
    labels = await labelsOnGrid(totalsegLabelsPath, ct);
    session = await launchViewer();
    await session.viewer.openScan(ctSeriesPath, 'folder');
    await session.viewer.choosePreset('soft-tissue');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it("4. loads TotalSegmentator's label map and colours the liver with its segment's colour over the grey", async () => {
    const { viewer, host } = session;
    const maskId = await viewer.openLabels(totalsegLabelsPath);
    expect(maskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(host.dialogs.at(-1)).toEqual({ kind: 'mask' });
    const present = [...new Set(labels)].filter((v) => v !== 0).sort((a, b) => a - b);
    expect(await viewer.segments.values()).toEqual(present);
    colours = new Map();
    for (const value of present) colours.set(value, await viewer.segments.colour(value));

    // Put the crosshair deep inside the liver, on the slice that holds most of it.
    const k = sliceWithMost(ct, labels, liverLabel);
    await viewer.scrollTo('axial', k);
    const liver = deepestVoxel(ct, labels, liverLabel, k);
    const cursor = await viewer.clickVoxel('axial', liver);
    expect((await viewer.sceneIds()).cursor).toEqual(cursor);
    const [ni, nj] = ct.dimensions;
    expect(labels[cursor[0] + ni * (cursor[1] + nj * cursor[2])]).toBe(liverLabel);
    expect((await viewer.viewport('coronal')).slice).toBe(cursor[1]);
    expect((await viewer.viewport('sagittal')).slice).toBe(cursor[0]);

    expect(await viewer.segments.opacity()).toBe(0.5);
    await expectOverlay(fillAlpha(0.5));

    await viewer.hoverVoxel('axial', cursor);
    const readout = await viewer.readout();
    expect(readout.voxel).toBe(cursor.join(','));
    expect(Number(readout.value)).toBe(voxelValue(ct, cursor));
    expect(readout.segment).toBe(await viewer.segments.name(liverLabel));
    await saveScreenshot(viewer, 'ct-totalseg-three-views');
    expect(session.errors).toEqual([]);
  });

  it('6. hiding the liver restores the grey there; opacity 0 shows the grey, 1 the colour', async () => {
    const { viewer } = session;
    await viewer.segments.setVisible(liverLabel, false);
    expect(await viewer.segments.isVisible(liverLabel)).toBe(false);
    await expectOverlay(fillAlpha(0.5), [liverLabel]);
    await viewer.segments.setVisible(liverLabel, true);
    await expectOverlay(fillAlpha(0.5));

    await viewer.segments.setOpacity(0);
    await expectOverlay(0);
    await viewer.segments.setOpacity(1);
    await expectOverlay(1);
    await viewer.segments.setOpacity(0.5);
    await expectOverlay(fillAlpha(0.5));
    expect(session.errors).toEqual([]);
  });

  it('7. exports the label map, and nibabel reads back the CT grid and the same labels', async () => {
    const { viewer, host } = session;
    const path = join(scratch, 'exported-labels.nii.gz');
    const status = await viewer.exportLabels(path);
    expect(status).toBe('Saved exported-labels.nii.gz');
    expect(host.dialogs.at(-1)).toEqual({ kind: 'save', suggestedName: 'ct-abdomen-j2k.totalseg-labels.nii.gz' });
    expect(existsSync(path)).toBe(true);

    const back = readBackWithNibabel(path, totalsegLabelsPath);
    expect(back.shape).toEqual([...ct.dimensions]);
    expect(back.dtype).toBe('uint8');
    expect(back.intent).toBe('label');
    expect(back.axcodes).toBe('LPS');
    const affine = volumeToRasAffine(ct);
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(Math.abs(back.affine[r]![c]! - affine[r]![c]!)).toBeLessThan(1e-4);
    expect(back.canonicalAffineDiff).toBeLessThan(1e-4);
    expect(back.mismatches).toBe(0);
    const counts: Record<string, number> = {};
    for (const v of labels) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
    expect(back.counts).toEqual(counts);
  });
});
