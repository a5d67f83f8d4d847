import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../main/volume/Volume.js';
import { indexToWorld } from '../../core/geometry/indexToWorld.js';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { viewNames, type ViewName } from './pages/pageShapes.js';
import { checkGreyPixels, type GreyCheck } from './support/checkGreyPixels.js';
import { voxelValue } from './support/expectedPixels.js';
import { ctSeriesPath, loadFirstVolume } from './support/referenceData.js';
import { markersFromGeometry } from './support/screenDirections.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** Every view's pixels against the volume's HU through its window: enough of them compared, mid-greys among them, none off. */
async function expectGreysMatch(session: ViewerSession, ct: Volume): Promise<void> {
  const checks: GreyCheck[] = [];
  for (const view of viewNames) {
    const check = await checkGreyPixels(session.viewer, ct, view);
    expect(check.misses, `${view} slice ${check.slice}, window ${JSON.stringify(check.window)}`).toEqual([]);
    expect(check.checked).toBeGreaterThanOrEqual(60);
    checks.push(check);
  }
  // Across the views, plenty of pixels the window did not clip.
  expect(checks.reduce((n, c) => n + c.midGrey, 0)).toBeGreaterThanOrEqual(20);
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the viewer on the CT series ct-abdomen-j2k (${reason})`, () => {
  let session: ViewerSession;
  let ct: Volume;

  beforeAll(async () => {
    ct = await loadFirstVolume(ctSeriesPath);
    session = await launchViewer();
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
  }, hookTimeoutMs);

  it('1. opens the series from the toolbar and draws its centre in all three views', async () => {
    const { viewer, host } = session;
    const volumeId = await viewer.openScan(ctSeriesPath, 'folder');
    expect(volumeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(host.dialogs).toEqual([{ kind: 'folder' }]);
    const expected: Record<ViewName, { axis: number }> = { axial: { axis: 2 }, coronal: { axis: 1 }, sagittal: { axis: 0 } };
    for (const view of viewNames) {
      const state = await viewer.viewport(view);
      expect(state.sliceAxis).toBe(expected[view].axis);
      expect(state.slices).toBe(ct.dimensions[state.sliceAxis]);
      expect(state.slice).toBe(Math.floor((ct.dimensions[state.sliceAxis]! - 1) / 2));
      // The series' own first window (WINDOW1: 40 / 300), also on the element for the tests.
      expect(state.window).toEqual({ center: 40, width: 300 });
      const element = session.page.getByTestId(`viewport-${view}`);
      expect(await element.getAttribute('data-window')).toBe('40,300');
      expect(await element.getAttribute('data-slice')).toBe(String(state.slice));
    }
    expect(session.errors).toEqual([]);
  });

  it('2. shows each view in the radiological convention, its pixels the HU through the window', async () => {
    const { viewer } = session;
    // LPS series, seen from the feet: patient's right on screen left, anterior up.
    expect(await viewer.markers('axial')).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(await viewer.markers('coronal')).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    expect(await viewer.markers('sagittal')).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    for (const view of viewNames) {
      // The letters agree with where the drawn picture really goes.
      expect(await viewer.markers(view)).toEqual(markersFromGeometry(ct, await viewer.viewport(view)));
    }
    await expectGreysMatch(session, ct);

    // The readout gives the HU read independently from the files, at the voxel under the mouse.
    const axial = await viewer.viewport('axial');
    const probe = await viewer.hoverVoxel('axial', [160, 250, axial.slice]);
    expect(probe.map((v, n) => Math.abs(v - [160, 250, axial.slice][n]!)).every((d) => d <= 1)).toBe(true);
    const readout = await viewer.readout();
    expect(readout.source).toBe('mouse');
    expect(readout.voxel).toBe(probe.join(','));
    expect(Number(readout.value)).toBe(voxelValue(ct, probe));
    const world = indexToWorld(ct, probe);
    readout.world!.split(',').forEach((mm, axis) => expect(Math.abs(Number(mm) - world[axis]!)).toBeLessThanOrEqual(0.05 + 1e-9));
  });

  it('3. scrolls (keys and wheel) and changes the window, and the pixels follow', async () => {
    const { viewer, page } = session;
    const axialBefore = await viewer.viewport('axial');
    let axial = axialBefore;
    for (let n = 0; n < 3; n++) axial = await viewer.press('axial', 'ArrowUp');
    expect(Math.abs(axial.slice - axialBefore.slice)).toBe(3);
    expect(await page.getByTestId('viewport-axial').getAttribute('data-slice')).toBe(String(axial.slice));
    // Up is towards the head: 3 slices of 2 mm.
    const z = (k: number): number => indexToWorld(ct, [0, 0, k])[2];
    expect(z(axial.slice) - z(axialBefore.slice)).toBeCloseTo(6, 3);

    const sagittalBefore = await viewer.viewport('sagittal');
    const sagittal = await viewer.wheel('sagittal', -100);
    // Wheel up is towards the patient's left (+x in LPS).
    const x = (i: number): number => indexToWorld(ct, [i, 0, 0])[0];
    expect(x(sagittal.slice) - x(sagittalBefore.slice)).toBeCloseTo(ct.spacing[0], 3);
    await expectGreysMatch(session, ct);

    await viewer.choosePreset('bone');
    for (const view of viewNames) expect(await page.getByTestId(`viewport-${view}`).getAttribute('data-window')).toBe('400,1800');
    await expectGreysMatch(session, ct);

    await viewer.choosePreset('lung');
    for (const view of viewNames) expect((await viewer.viewport(view)).window).toEqual({ center: -600, width: 1500 });
    await expectGreysMatch(session, ct);
    expect(session.errors).toEqual([]);
  });
});
