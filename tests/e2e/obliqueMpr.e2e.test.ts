import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../main/volume/Volume.js';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { Index3, PageGlobal } from './pages/pageShapes.js';
import { checkGreyPixels } from './support/checkGreyPixels.js';
import { checkPlanePixels, planeIndex } from './support/checkPlanePixels.js';
import { fillAlpha, type Rgb } from './support/expectedPixels.js';
import { numpySlab, scipyPlane, writeRaw, type RawVolume } from './support/numpyReference.js';
import { ctSeriesPath, deepestVoxel, labelsOnGrid, liverLabel, loadFirstVolume, sliceWithMost, totalsegLabelsPath } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;
const degrees = 180 / Math.PI;

describe.skipIf(!hasSharedData || !canLaunchViewer)(`oblique MPR and thick slabs on the CT series (${reason})`, () => {
  let session: ViewerSession;
  let ct: Volume;
  let labels: Uint16Array;
  let rawCt: RawVolume;
  let rawLabels: RawVolume;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-mpr-'));
  /** Whether a continuous voxel index lies within the volume's voxel centres (where trilinear needs no edge rule). */
  const inside = (index: Index3): boolean => index.every((v, a) => v >= 0 && v <= ct.dimensions[a]! - 1);

  /** The CT with slice k of the axial view replaced by a projection: what checkGreyPixels should find on that slice. */
  const withSlice = (k: number, projection: Float64Array): Volume => {
    const voxels = Float64Array.from(ct.voxels as Int16Array);
    voxels.set(projection, k * ct.dimensions[0] * ct.dimensions[1]);
    return { ...ct, voxels } as unknown as Volume;
  };

  beforeAll(async () => {
    ct = await loadFirstVolume(ctSeriesPath);
    labels = await labelsOnGrid(totalsegLabelsPath, ct);
    const dims = ct.dimensions as unknown as Index3;
    rawCt = writeRaw(scratch, 'ct', ct.voxels as Int16Array, dims);
    rawLabels = writeRaw(scratch, 'labels', labels, dims);
    session = await launchViewer();
    await session.viewer.openScan(ctSeriesPath, 'folder');
    // A wide window, so that the projections are not clipped.
    await session.viewer.choosePreset('bone');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('1. a 20 mm axial slab shows numpy’s max (MIP), min (MinIP) and mean over its 11 slices, through the window', async () => {
    const { viewer } = session;
    const axial = await viewer.viewport('axial');
    expect(axial.slice).toBe(9);
    // Where the pixels are compared, and how closely. In the 2×2 layout the axial pane is 341 px high for 512
    // rows: each pixel covers 1.5 voxels, and Chromium's downscale does not weight the 2×2 voxels around a pixel's
    // centre exactly bilinearly (measured: 1.68 grey levels off the bilinear value where those four voxels span
    // only 2 levels, 2.04 in another run, the pixel always within their range). Whatever its weights, a blend of
    // four greys that lie within `span` levels of each other is within `span` of the bilinear value, and 8-bit
    // rounding adds at most 1. So two comparisons whose tolerance holds at any zoom: where the four lie within one
    // level (flat: soft tissue in this 1800 HU window), within 2; where they lie within 8 (edges), within 9, which
    // still finds a slab one slice off (below). A finer grid (48 × 48) keeps enough pixels of each.
    const flat = { steps: 48, maxSpan: 1, tolerance: 2 } as const;
    const edges = { steps: 48, maxSpan: 8, tolerance: 9 } as const;
    // 20 mm at 2 mm: the odd count nearest, 11 samples at slice offsets −5…+5, centred on the plane: k = 4…14.
    for (const mode of ['mip', 'minip', 'mean'] as const) {
      await viewer.mpr.setSlab('axial', mode, 20, 11);
      const drawn = await viewer.viewport('axial');
      expect(drawn.slab).toEqual({ samples: 11, mode });
      expect(drawn.standard).toBe(true);
      expect(await session.page.getByTestId('viewport-axial').getAttribute('data-slab')).toBe(`${mode},11`);
      // The title and the overlay give the 22 mm the slab covers, not the 20 mm typed.
      const name = { mip: 'MIP', minip: 'MinIP', mean: 'Mean' }[mode];
      expect(await session.page.getByTestId('viewport-title-axial').innerText()).toBe(`Axial · 10 / 20 · ${name} 22.0 mm (11 slices)`);
      expect(await session.page.getByTestId('overlay-axial-bottom-left').innerText()).toContain(`${name} 22.0 mm`);
      const expected = withSlice(9, numpySlab(rawCt, 2, 4, 14, mode));
      for (const [name, options] of [
        ['flat', flat],
        ['edges', edges],
      ] as const) {
        const check = await checkGreyPixels(viewer, expected, 'axial', options);
        console.log(`${mode}, ${name}: ${check.checked} pixels compared (${check.midGrey} mid-grey), worst ${check.worst.toFixed(2)} grey levels`);
        expect(check.misses, `${mode}, ${name}: worst ${check.worst}`).toEqual([]);
        expect(check.checked).toBeGreaterThanOrEqual(200);
        expect(check.midGrey).toBeGreaterThanOrEqual(50);
      }
      if (mode !== 'mean') {
        // The comparisons can fail: numpy's projection over the slab one slice off (k = 3…13) misses where the
        // slice left out or taken in holds the extreme (few pixels for the MIP, whose maxima are mostly bone inside the slab).
        const offByOne = await checkGreyPixels(viewer, withSlice(9, numpySlab(rawCt, 2, 3, 13, mode)), 'axial', edges);
        console.log(`${mode} against k = 3…13: ${offByOne.misses.length} misses of ${offByOne.checked}`);
        expect(offByOne.misses.length, `${mode} against k = 3…13`).toBeGreaterThan(0);
      }
      if (mode === 'mip') {
        // Not the plain slice: the MIP differs from slice 9 at many of those pixels.
        const plain = await checkGreyPixels(viewer, ct, 'axial');
        expect(plain.misses.length).toBeGreaterThan(50);
        await saveScreenshot(viewer, 'mip-slab', true);
      }
    }
    // Scrolling moves the slab: at slice 10 the MIP covers k = 5…15.
    await viewer.mpr.setSlab('axial', 'mip', 20, 11);
    const moved = await viewer.press('axial', 'ArrowUp');
    expect(moved.slice).toBe(10);
    for (const options of [flat, edges]) {
      const check = await checkGreyPixels(viewer, withSlice(10, numpySlab(rawCt, 2, 5, 15, 'mip')), 'axial', options);
      expect(check.misses).toEqual([]);
      expect(check.checked).toBeGreaterThanOrEqual(200);
    }
    await viewer.press('axial', 'ArrowDown');
    await viewer.mpr.setSlab('axial', 'mip', 0, 1);
    expect(session.errors).toEqual([]);
  });

  it(
    '2. turning the axial crosshair 30° turns the coronal and sagittal planes: ' + 'their markers, and pixels equal to scipy map_coordinates (order 1)',
    async () => {
      const { viewer } = session;
      // Put the crosshair in the liver, where test 3 looks for its label.
      const k = sliceWithMost(ct, labels, liverLabel);
      await viewer.scrollTo('axial', k);
      const cursor = await viewer.clickVoxel('axial', deepestVoxel(ct, labels, liverLabel, k));

      await viewer.mpr.dragRotate('axial', 30);
      const axial = await viewer.viewport('axial');
      const coronal = await viewer.viewport('coronal');
      const sagittal = await viewer.viewport('sagittal');
      expect(axial.standard).toBe(true);
      expect(axial.slice).toBe(cursor[2]);
      expect([coronal.standard, sagittal.standard]).toEqual([false, false]);
      // The CT is LPS with 0.977 mm voxels in-plane: the coronal plane's screen right in the world is its column step × spacing.
      const right = coronal.plane.columnStep.map((v, a) => v * ct.spacing[a]!);
      const turned = Math.atan2(right[1]!, right[0]!) * degrees;
      expect(Math.abs(turned - 30)).toBeLessThan(1);
      expect(right[2]).toBeCloseTo(0, 9);
      // The axial view's line for the coronal plane turned with the drag.
      expect(Math.abs((await viewer.mpr.lineAngle('axial', 'coronal')) - turned)).toBeLessThan(0.5);
      expect(Math.abs((await viewer.mpr.lineAngle('axial', 'sagittal')) - (turned - 90))).toBeLessThan(0.5);
      // Orientation letters follow the planes: patient's left turned 30° towards posterior reads 'LP'.
      expect(await viewer.markers('axial')).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
      expect(await viewer.markers('coronal')).toEqual({ left: 'RA', right: 'LP', top: 'S', bottom: 'I' });
      expect(await viewer.markers('sagittal')).toEqual({ left: 'AL', right: 'PR', top: 'S', bottom: 'I' });

      // Every compared pixel is scipy's trilinear value through the window, within 2 grey levels:
      // 14 HU of this 1800 HU window, under 0.5 % of the CT's value range.
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of ct.voxels as Int16Array) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      expect((2 / 255) * 1800).toBeLessThan(0.005 * (hi - lo));
      for (const view of ['coronal', 'sagittal'] as const) {
        const { plane } = await viewer.viewport(view);
        const check = await checkPlanePixels(viewer, view, { values: scipyPlane(rawCt, plane, 1) }, inside);
        expect(check.misses, `${view}: worst ${check.worst}`).toEqual([]);
        expect(check.checked, view).toBeGreaterThanOrEqual(150);
        expect(check.midGrey, view).toBeGreaterThanOrEqual(30);
      }

      // A click on the turned coronal view moves the crosshair to the voxel under it (once the view is active:
      // the first click in a view that is not only activates it, and activate checks that it leaves the crosshair).
      await viewer.activate('coronal');
      const target = planeIndex(coronal.plane, Math.round(coronal.plane.rows * 0.4), Math.round(coronal.plane.columns * 0.45));
      const [mx, my] = coronal.cssFromVoxel;
      const css = {
        x: mx[0]! * target[0] + mx[1]! * target[1] + mx[2]! * target[2] + mx[3]!,
        y: my[0]! * target[0] + my[1]! * target[1] + my[2]! * target[2] + my[3]!,
      };
      const box = (await session.page.locator('[data-testid="viewport-coronal"] canvas').boundingBox())!;
      await session.page.mouse.click(box.x + css.x, box.y + css.y);
      const expected = target.map(Math.round);
      await session.page.waitForFunction((want) => (globalThis as unknown as PageGlobal).__axialViewState?.cursor?.join() === want.join(), expected);
      await viewer.mpr.settled();
      expect((await viewer.viewport('axial')).slice).toBe(expected[2]);
      // The coronal plane stayed where it was (the click was on it).
      const after = await viewer.viewport('coronal');
      expect(after.plane.origin.map((v, a) => Math.abs(v - coronal.plane.origin[a]!)).every((d) => d < 1e-6)).toBe(true);
      // The readout names the voxel nearest the plane point under the mouse.
      const probe = planeIndex(after.plane, Math.round(after.plane.rows * 0.6), Math.round(after.plane.columns * 0.55));
      const [px, py] = after.cssFromVoxel;
      await session.page.mouse.move(
        box.x + px[0]! * probe[0] + px[1]! * probe[1] + px[2]! * probe[2] + px[3]!,
        box.y + py[0]! * probe[0] + py[1]! * probe[1] + py[2]! * probe[2] + py[3]!,
      );
      await session.page.locator(`[data-testid="readout"][data-voxel="${probe.map(Math.round).join(',')}"]`).waitFor();
      expect((await viewer.readout()).source).toBe('mouse');
      expect(session.errors).toEqual([]);
    },
  );

  it('3. on the turned planes the labels stay on their anatomy: the liver’s colour where the plane crosses liver voxels', async () => {
    const { viewer } = session;
    await viewer.openLabels(totalsegLabelsPath);
    await viewer.mpr.settled();
    const colours = new Map<number, Rgb>();
    for (const value of await viewer.segments.values()) colours.set(value, await viewer.segments.colour(value));
    for (const view of ['coronal', 'sagittal'] as const) {
      const { plane, standard } = await viewer.viewport(view);
      expect(standard).toBe(false);
      const check = await checkPlanePixels(
        viewer,
        view,
        { values: scipyPlane(rawCt, plane, 1), labels: { values: scipyPlane(rawLabels, plane, 0), colours, alpha: fillAlpha(0.5) } },
        inside,
        { steps: 48 },
      );
      expect(check.misses, `${view}: worst ${check.worst}`).toEqual([]);
      expect(check.checkedByLabel.get(liverLabel) ?? 0, `${view}: liver pixels compared`).toBeGreaterThanOrEqual(10);
      expect(check.checkedByLabel.get(0) ?? 0, `${view}: unlabelled pixels compared`).toBeGreaterThanOrEqual(50);
    }
    await saveScreenshot(viewer, 'oblique-mpr', true);

    // Painting is refused on a turned plane, with a word why.
    await session.page.getByTestId('tool-brush').click();
    const centre = await viewer.mpr.crosshairCentre('coronal');
    const box = (await session.page.locator('[data-testid="viewport-coronal"] canvas').boundingBox())!;
    await session.page.mouse.click(box.x + centre.x, box.y + centre.y);
    await session.page.getByTestId('status').filter({ hasText: 'Painting works on the standard planes only' }).waitFor();
    await session.page.getByTestId('tool-navigate').click();

    // Reset: the three standard planes and their letters again.
    await viewer.mpr.reset();
    expect(await viewer.markers('coronal')).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    expect(await viewer.markers('sagittal')).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    const cursor = (await viewer.sceneIds()).cursor!;
    expect((await viewer.viewport('coronal')).slice).toBe(cursor[1]);
    expect(session.errors).toEqual([]);
  });
});
