import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../main/volume/Volume.js';
import { indexToWorld } from '../../core/geometry/indexToWorld.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { swiftShaderArgs, View3dPage, type View3dImage, type View3dState } from './pages/View3dPage.js';
import { projectAlongView, type AxisView, type Projection } from './support/projectAlongView.js';
import { ctSeriesPath, liverLabel, loadFirstVolume, totalsegLabelsPath } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';
import { background3d, channelDifference, countOf, densestWindow, iou, isBackground, maskOf, pngSize } from './support/view3dPixels.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** dcm2niix's NIfTI of the same series: numpy's independent copy of the voxels. */
const ctReference = sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz');

/** Looking from the feet (forward +z, anterior up, the patient's right on screen left), as the 3D view's 'inferior' button does. */
const fromFeet = { right: [1, 0, 0], up: [0, -1, 0], forward: [0, 0, 1] } as const;

/** The canvas's pixel at (column, row) for voxel index `index`, by the view's published map. */
function project(state: View3dState, index: readonly [number, number, number]): [number, number] {
  const [c, r] = state.screenFromIndex as [number[], number[]];
  const at = (m: number[]): number => m[0]! * index[0] + m[1]! * index[1] + m[2]! * index[2] + m[3]!;
  return [at(c), at(r)];
}

/** Pixels the bone preset drew something at: brighter than the background by more than 40 in some channel. */
function drawnMask(image: View3dImage): Uint8Array {
  return maskOf(image.width * image.height, (n) => background3d.some((v, c) => image.rgba[n * 4 + c]! - v > 40));
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the 3D view on the CT series ct-abdomen-j2k (${reason})`, () => {
  let session: ViewerSession;
  let view3d: View3dPage;
  let ct: Volume;
  let feetView: AxisView;
  let bone: Projection;
  let feetImage: View3dImage;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-3d-'));

  beforeAll(async () => {
    ct = await loadFirstVolume(ctSeriesPath);
    session = await launchViewer({ extraArgs: swiftShaderArgs });
    view3d = new View3dPage(session.page, session.viewer);
    await session.viewer.openScan(ctSeriesPath, 'folder');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it("1. shows a fourth view that ray-casts the volume with WebGL2 on SwiftShader, at full quality and the stage's size", async () => {
    const state = await view3d.show('four');
    console.log(`3D view: ${state.glRenderer}; first full frame ${state.frameMs} ms at ${state.canvas.width}×${state.canvas.height}`);
    expect(state.glRenderer).toMatch(/SwiftShader/);
    expect(state.quality).toBe('full');
    expect(state.canvas).toEqual(state.css);
    expect(state.frameMs).toBeGreaterThan(0);
    // The three 2D views stay.
    for (const view of ['axial', 'coronal', 'sagittal']) expect(await session.page.getByTestId(`viewport-${view}`).count()).toBe(1);
    expect(await session.page.getByTestId('view3d-preset').inputValue()).toBe('bone');
    expect(session.errors).toEqual([]);
  });

  it('2. bone seen from the feet: the drawn pixels are where numpy projects HU > 300, and the densest bone is the spine', async () => {
    const state = await view3d.lookFrom('inferior');
    const { width, height } = state.canvas;
    feetView = { ...fromFeet, width, height, mmPerPixel: null, centre: null };
    bone = projectAlongView(ctReference, feetView);
    // The published map agrees with the framing numpy used: the grid's middle at the canvas centre, its longest side + 5 % across the shorter side.
    const middle = project(state, [255.5, 255.5, 9.5]);
    expect(middle[0]).toBeCloseTo(width / 2 - 0.5, 6);
    expect(middle[1]).toBeCloseTo(height / 2 - 0.5, 6);
    const world = (index: [number, number, number]) => indexToWorld(ct, index);
    expect(
      world([255.5, 255.5, 9.5])
        .map((v, a) => v - bone.centre[a]!)
        .every((d) => Math.abs(d) < 1e-3),
    ).toBe(true);
    const [c0] = project(state, [0, 255.5, 9.5]);
    const [c1] = project(state, [511, 255.5, 9.5]);
    expect((c1 - c0) * bone.mmPerPixel).toBeCloseTo(511 * ct.spacing[0], 3);

    feetImage = await view3d.image();
    expect([feetImage.width, feetImage.height]).toEqual([width, height]);
    const drawn = drawnMask(feetImage);
    const expected = maskOf(width * height, (n) => bone.max[n]! > 300);
    const overlap = iou(drawn, expected);
    // A window 60 mm across: about a vertebra with its arch.
    const radius = Math.round(30 / bone.mmPerPixel);
    const spine = densestWindow(expected, width, height, radius);
    const brightest = densestWindow(drawn, width, height, radius);
    console.log(
      `bone from the feet: ${countOf(drawn)} drawn, ${countOf(expected)} expected, IoU ${overlap.toFixed(3)}; densest ${brightest} vs numpy ${spine}`,
    );
    expect(countOf(expected)).toBeGreaterThan(1000);
    expect(overlap).toBeGreaterThan(0.75);
    expect(Math.hypot(brightest[0] - spine[0], brightest[1] - spine[1])).toBeLessThanOrEqual(3);
    // The spine lies behind the middle: below the centre (anterior is up), near the midline.
    expect(spine[1]).toBeGreaterThan(height / 2);
    expect(Math.abs(spine[0] - width / 2)).toBeLessThan(20);
    expect(session.errors).toEqual([]);
  });

  it("3. the clip box: cutting away the patient's right half (i < 256) leaves background there and the left half pixel for pixel as it was", async () => {
    const state = await view3d.setClip(0, 'first', 256);
    const clipped = await view3d.image();
    const { width, height } = clipped;
    // The same stage as before the clip (a title bar that wrapped as the clip went on shrank the picture), and the clip shown as on.
    expect([width, height]).toEqual([feetImage.width, feetImage.height]);
    expect(await session.page.getByTestId('view3d-clip').locator('summary').getAttribute('class')).toBe('on');
    // The clip plane lies between voxels 255 and 256; from the feet the patient's right is on screen left.
    const [boundary] = project(state, [255.5, 255.5, 9.5]);
    let cut = 0;
    let cutDrawnBefore = 0;
    let cutBackground = 0;
    let keptDrawn = 0;
    let largestChange = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const n = y * width + x;
        if (x < boundary - 1) {
          cut++;
          if (isBackground(clipped, n)) cutBackground++;
          if (!isBackground(feetImage, n)) cutDrawnBefore++;
        } else if (x > boundary + 1) {
          if (!isBackground(feetImage, n)) keptDrawn++;
          largestChange = Math.max(largestChange, channelDifference(clipped, feetImage, n));
        }
      }
    }
    console.log(`clip at column ${boundary.toFixed(1)}: ${cutDrawnBefore} drawn pixels cut away, ${keptDrawn} kept`);
    // i = 255.5 is the grid's middle, at the canvas's centre.
    expect(boundary).toBeCloseTo(width / 2 - 0.5, 3);
    expect(cutDrawnBefore).toBeGreaterThan(1000);
    expect(keptDrawn).toBeGreaterThan(1000);
    expect(cutBackground).toBe(cut);
    expect(largestChange).toBe(0);
    // The whole volume again: the same picture as before, pixel for pixel.
    await view3d.resetClip();
    const whole = await view3d.image();
    expect([whole.width, whole.height]).toEqual([feetImage.width, feetImage.height]);
    expect(countOf(maskOf(width * height, (n) => channelDifference(whole, feetImage, n) > 0))).toBe(0);
    expect(session.errors).toEqual([]);
  });

  it(
    '4. labels as coloured volumes: opening a label map changes the pixels where numpy projects a label, ' + 'in the colour of the first label along each ray',
    async () => {
      const { viewer, page } = session;
      const before = (await view3d.state()).rendered;
      await viewer.openLabels(totalsegLabelsPath);
      await view3d.waitForFrame(before);
      expect(await page.getByTestId('view3d-labels').isChecked()).toBe(true);
      const withLabels = await view3d.image();
      await view3d.setLabels(false);
      const without = await view3d.image();
      const { width, height } = withLabels;
      const count = width * height;
      // The page's layout may have moved with the label map's panels: project onto the canvas as it is now.
      const labels = projectAlongView(totalsegLabelsPath, { ...feetView, width, height });
      const changed = maskOf(count, (n) => channelDifference(withLabels, without, n) > 8);
      const projected = maskOf(count, (n) => labels.max[n]! > 0);
      const overlap = iou(changed, projected);
      // Where the first label along the ray (and around it) is the liver, the pixel shows the liver's colour (shaded: compare hues).
      const liver = await viewer.segments.colour(liverLabel);
      const hue = (rgb: readonly number[]): number[] => rgb.map((v) => v / Math.max(...rgb, 1));
      const liverHue = hue(liver);
      let liverPixels = 0;
      let liverMisses = 0;
      for (let y = 1; y < height - 1; y++) {
        for (let x = 1; x < width - 1; x++) {
          const n = y * width + x;
          if (![n, n - 1, n + 1, n - width, n + width].every((m) => labels.first[m] === liverLabel)) continue;
          liverPixels++;
          const shown = hue([...withLabels.rgba.subarray(n * 4, n * 4 + 3)]);
          if (shown.some((v, c) => Math.abs(v - liverHue[c]!) > 0.15)) liverMisses++;
        }
      }
      console.log(
        `labels: ${countOf(changed)} pixels changed, ${countOf(projected)} projected, IoU ${overlap.toFixed(3)}; ` +
          `liver ${liverPixels} pixels, ${liverMisses} off its hue`,
      );
      expect(countOf(projected)).toBeGreaterThan(5000);
      expect(overlap).toBeGreaterThan(0.9);
      expect(liverPixels).toBeGreaterThan(1000);
      expect(liverMisses / liverPixels).toBeLessThan(0.02);
      await view3d.setLabels(true);
      expect(session.errors).toEqual([]);
    },
  );

  it("5. follows edits: a brush sphere painted in the axial view shows in the 3D view in its segment's colour, and undo takes it away", async () => {
    const { viewer } = session;
    const key = await viewer.editing.addSegment();
    const value = Number(key.split(':')[1]);
    const colour = await viewer.segments.colour(value);
    // A new segment is a new label display: the view redraws (reduced, then full).
    const state = await view3d.settled();
    const before = await view3d.image();
    // Air in front of the abdomen: nothing drawn there from the feet.
    const target = [256, 60, 10] as const;
    const [x, y] = project(state, target).map(Math.round) as [number, number];
    const at = (image: View3dImage): number[] => [...image.rgba.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3)];
    expect(isBackground(before, y * before.width + x)).toBe(true);
    await viewer.editing.chooseTool('brush');
    await viewer.editing.setBrush(10, 'sphere');
    const rendered = state.rendered;
    const landed = await viewer.editing.dabAt('axial', target);
    expect(Math.hypot(landed[0] - target[0], landed[1] - target[1])).toBeLessThanOrEqual(1);
    await view3d.waitForFrame(rendered);
    await view3d.settled();
    const painted = at(await view3d.image());
    const hue = (rgb: readonly number[]): number[] => rgb.map((v) => v / Math.max(...rgb, 1));
    console.log(`painted sphere at pixel ${x},${y}: ${painted.join(',')} for segment colour ${colour.join(',')}`);
    hue(painted).forEach((v, c) => expect(Math.abs(v - hue(colour)[c]!)).toBeLessThan(0.1));
    const afterPaint = (await view3d.state()).rendered;
    await viewer.editing.undo();
    await view3d.waitForFrame(afterPaint);
    await view3d.settled();
    expect(isBackground(await view3d.image(), y * before.width + x)).toBe(true);
    await viewer.editing.chooseTool('navigate');
    expect(session.errors).toEqual([]);
  });

  it(
    '6. turning it with the mouse draws at reduced quality (at most half the pixels each way, twice the step) ' + 'while dragging, and at full quality after',
    async () => {
      const still = await view3d.image();
      const { during, after } = await view3d.drag(120, 40);
      console.log(
        `drag: reduced ${during.frameMs} ms at ${during.canvas.width}×${during.canvas.height}, ` +
          `then full ${after.frameMs} ms at ${after.canvas.width}×${after.canvas.height}`,
      );
      expect(during.quality).toBe('reduced');
      expect(during.canvas.width).toBeLessThanOrEqual(Math.round(during.css.width / 2));
      expect(during.canvas.width).toBeGreaterThanOrEqual(Math.round(during.css.width / 5));
      expect(during.canvas.height / during.canvas.width).toBeCloseTo(during.css.height / during.css.width, 1);
      expect(after.quality).toBe('full');
      expect(after.canvas).toEqual(after.css);
      const turned = await view3d.image();
      expect([turned.width, turned.height]).toEqual([still.width, still.height]);
      const moved = countOf(maskOf(turned.width * turned.height, (n) => channelDifference(turned, still, n) > 8));
      expect(moved).toBeGreaterThan(2000);
      expect(session.errors).toEqual([]);
    },
  );

  it("7. 'One view' with 3D chosen shows the 3D view alone, larger; choosing Axial brings the axial view back in its place", async () => {
    const { page } = session;
    const four = await view3d.state();
    const alone = await view3d.show('one');
    expect(await page.getByTestId('viewport-axial').count()).toBe(0);
    expect(alone.quality).toBe('full');
    expect(alone.canvas.width * alone.canvas.height).toBeGreaterThan(2.5 * four.canvas.width * four.canvas.height);
    expect(await page.getByTestId('view3d-labels').isChecked()).toBe(true);
    await page.getByTestId('layout-view').selectOption('axial');
    await page.getByTestId('viewport-axial').waitFor();
    expect(await page.getByTestId('viewport-3d').count()).toBe(0);
    await view3d.show('four');
    expect(session.errors).toEqual([]);
  });

  it('8. exports the 3D view as a PNG of the full-quality canvas through the save dialog', async () => {
    const { host } = session;
    const path = join(scratch, 'view-3d.png');
    const status = await view3d.exportPng(path);
    expect(status).toBe('Saved view-3d.png');
    const dialog = host.dialogs.at(-1);
    expect(dialog?.kind).toBe('save');
    expect(dialog && 'suggestedName' in dialog ? dialog.suggestedName : '').toMatch(/-3d\.png$/);
    const png = new Uint8Array(readFileSync(path));
    const state = await view3d.state();
    expect(pngSize(png)).toEqual(state.css);
    expect(png.length).toBeGreaterThan(5000);
    expect(session.errors).toEqual([]);
  });

  it('9. a turned view of bone and labels beside the three views, for the README', async () => {
    await view3d.setPreset('bone');
    await view3d.lookFrom('anterior');
    await view3d.drag(-60, 50);
    // Zoomed 2× (3× in the wider three-view layout): the 2×2 picture stays under the README's 300 KB.
    await view3d.zoom(2);
    await saveScreenshot(session.viewer, 'volume-3d', true);
    expect(session.errors).toEqual([]);
  });
});

describe.skipIf(!hasSharedData || !canLaunchViewer)(`the 3D view without WebGL (${reason})`, () => {
  let session: ViewerSession;

  beforeAll(async () => {
    session = await launchViewer({ extraArgs: ['--disable-3d-apis'] });
    await session.viewer.openScan(ctSeriesPath, 'folder');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
  }, hookTimeoutMs);

  it('10. says so in the view, and the three 2D views go on drawing', async () => {
    const { page, viewer } = session;
    await page.getByTestId('layout-four').click();
    const message = page.getByTestId('view3d-unavailable');
    await message.waitFor();
    expect(await message.innerText()).toMatch(/3D view is not available: .*WebGL2/);
    expect(session.errors).toEqual([]);
    const counts = await viewer.renderedCounts();
    await viewer.press('axial', 'ArrowUp');
    expect((await viewer.renderedCounts()).axial).toBeGreaterThan(counts.axial);
  });
});
