import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { viewNames, type Index3, type ViewName } from './pages/pageShapes.js';
import { saveScreenshot } from './support/screenshots.js';
import { writeTiltedCt, type TiltedCt } from './support/writeTiltedCt.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** "−123.5": the overlay's one-decimal mm with a real minus sign. */
function mm(value: number): string {
  const text = value.toFixed(1);
  return Number(text) === 0 ? '0.0' : text.replace('-', '−');
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`a gantry-tilted CT (15°) opens on its acquired slices (${reason})`, () => {
  let session: ViewerSession;
  let tilted: TiltedCt;
  const folder = mkdtempSync(join(tmpdir(), 'axial-e2e-tilted-'));

  /** LPS mm of voxel (i, j, k) from the files: slice k's ImagePositionPatient plus i columns and j rows along ImageOrientationPatient. */
  const worldOf = ([i, j, k]: Index3): number[] => {
    const o = tilted.orientation;
    const [rowMm, columnMm] = tilted.pixelSpacing;
    return tilted.positions[k]!.map((p, a) => p + i * columnMm * o[a]! + j * rowMm * o[3 + a]!);
  };
  const title = (view: ViewName) => session.page.getByTestId(`viewport-title-${view}`).innerText();
  const bottomLeft = (view: ViewName) => session.page.getByTestId(`overlay-${view}-bottom-left`).locator('div').allInnerTexts();

  beforeAll(async () => {
    tilted = writeTiltedCt(folder);
    session = await launchViewer();
    await session.viewer.openScan(folder, 'folder');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('1. shows the stored axial and coronal slices untouched, and the sagittal slice resampled onto square pixels, not "oblique"', async () => {
    const { viewer, page } = session;
    expect(tilted.positions).toHaveLength(20);
    // The files really are tilted: a slice's y moves by 2 mm · tan 15° = 0.536 mm per 2 mm of z.
    const [first, second] = tilted.positions;
    expect((first![1] - second![1]) / (first![2] - second![2])).toBeCloseTo(Math.tan((15 * Math.PI) / 180), 5);
    for (const view of ['axial', 'coronal'] as const) {
      const state = await viewer.viewport(view);
      expect(state.standard, view).toBe(true);
      expect(await title(view)).toBe(`${view[0]!.toUpperCase()}${view.slice(1)} · ${state.slice + 1} / ${state.slices}`);
    }
    // The sagittal plane's rows and slice axis are 75° apart: drawn as stored it sheared the anatomy 15°. It is still slice i.
    const sagittal = await viewer.viewport('sagittal');
    expect(sagittal.standard).toBe(false);
    expect(await title('sagittal')).toBe(`Sagittal · ${sagittal.slice + 1} / 512 · resampled (tilted scan)`);
    expect(await viewer.markers('sagittal')).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    expect(await bottomLeft('sagittal')).toEqual([`Im ${sagittal.slice + 1}/512`, `Loc ${mm(worldOf([sagittal.slice, 0, 0])[0]!)} mm`, 'Thk 0.98 mm']);
    const axial = await viewer.viewport('axial');
    expect(axial.slices).toBe(20);
    // Nothing was turned: Reset planes has nothing to reset.
    expect(await page.getByTestId('mpr-reset').isDisabled()).toBe(true);
    // The axial view is slice k as stored: its location is that slice's z, its thickness the files' SliceThickness.
    expect(await bottomLeft('axial')).toEqual([
      `Im ${axial.slice + 1}/20`,
      `Loc ${mm(tilted.positions[axial.slice]![2])} mm`,
      `Thk ${tilted.sliceThickness.toFixed(1)} mm`,
    ]);
    await saveScreenshot(viewer, 'tilted-ct-sagittal');
  });

  it('1b. a right angle drawn on screen measures 90.0° on the sagittal and the coronal', async () => {
    const { viewer } = session;
    const { measurements } = viewer;
    const sagittal = await viewer.viewport('sagittal');
    const coronal = await viewer.viewport('coronal');
    for (const [view, centre] of [
      ['sagittal', [sagittal.slice, 256, 10]],
      ['coronal', [256, coronal.slice, 10]],
    ] as const) {
      const [at] = await viewer.pixelsAt(view, [centre as unknown as Index3]);
      const vertex = { x: at!.cssX, y: at!.cssY };
      // Arms along the screen's horizontal and vertical: on the sheared sagittal drawn as stored this read "Angle 1: 75.0°".
      const row = await measurements.drawAtCss('angle', view, [{ x: vertex.x - 40, y: vertex.y }, vertex, { x: vertex.x, y: vertex.y - 40 }]);
      expect(Math.abs(row.angleDeg! - 90), view).toBeLessThan(0.05);
      expect(await measurements.label(view, row.id)).toBe(`${row.name}: 90.0°`);
      await measurements.delete(0);
    }
  });

  it('2. the crosshair’s voxel is where the tilted files put it, in world mm', async () => {
    const { viewer } = session;
    const axial = await viewer.viewport('axial');
    const voxel = await viewer.clickVoxel('axial', [300, 260, axial.slice]);
    const readout = await viewer.readout();
    expect(readout.voxel).toBe(voxel.join(','));
    const expected = worldOf(voxel);
    readout.world!.split(',').forEach((value, axis) => expect(Math.abs(Number(value) - expected[axis]!), `axis ${axis}`).toBeLessThanOrEqual(0.05 + 1e-9));
    // The other two views cut through that voxel's column and row: still their standard index planes.
    expect((await viewer.viewport('coronal')).slice).toBe(voxel[1]);
    expect((await viewer.viewport('sagittal')).slice).toBe(voxel[0]);
  });

  it('3. the brush paints on the axial view (no "reset the planes" refusal)', async () => {
    const { viewer } = session;
    const { editing } = viewer;
    expect((await viewer.viewport('axial')).standard).toBe(true);
    expect(await editing.addSegment()).toBe('0:1');
    await editing.chooseTool('brush');
    await editing.setBrush(4, 'disc');
    const axial = await viewer.viewport('axial');
    await editing.dabAt('axial', [280, 250, axial.slice]);
    expect((await editing.stats('0:1')).voxels).toBeGreaterThan(20);
    expect(await session.page.getByTestId('status').innerText()).not.toContain('Painting works on the standard planes only');
    // The sagittal, resampled because the scan is tilted, says so, and does not send the user to Reset planes.
    const sagittal = await viewer.viewport('sagittal');
    const before = (await editing.stats('0:1')).voxels;
    const [at] = await viewer.pixelsAt('sagittal', [[sagittal.slice, 256, 10]]);
    const box = (await session.page.locator('[data-testid="viewport-sagittal"] canvas').boundingBox())!;
    await session.page.mouse.click(box.x + at!.cssX, box.y + at!.cssY);
    expect(await session.page.getByTestId('status').innerText()).toBe(
      'Painting works on the axial and coronal views of this tilted scan: its sagittal slices are resampled onto square pixels.',
    );
    expect((await editing.stats('0:1')).voxels).toBe(before);
    await editing.chooseTool('navigate');
  });

  it('3b. slabs count the 2 mm between the tilted slices, and an ROI says "centre slice" only on the plane a view shows as a slab', async () => {
    const { viewer, page } = session;
    const { mpr, measurements } = viewer;
    const axial = await viewer.viewport('axial');
    const slice = `Axial · ${axial.slice + 1} / 20`;
    // It said "no MIP: 2 mm is thinner than one slice (2.1 mm)" and "MIP 6.2 mm (3 slices)": the 2.071 mm step along the tilted axis.
    await mpr.setSlab('axial', 'mip', 2, 1);
    expect(await title('axial')).toBe(`${slice} · no MIP: 2 mm is nearer one slice (2.0 mm) than three (6.0 mm)`);
    const k = axial.slice;
    const drawn = await measurements.drawEllipse('axial', [240, 240, k], [280, 270, k]);
    await mpr.setSlab('axial', 'mip', 6, 3);
    expect(await title('axial')).toBe(`${slice} · MIP 6.0 mm (3 slices)`);
    expect((await bottomLeft('axial')).at(-1)).toBe('MIP 6.0 mm');
    const scope = async (): Promise<string> => measurements.statsLine(drawn.row.id);
    expect(await scope()).toMatch(/ voxels of the centre slice$/);
    // The slab moved one slice on: the ROI's statistics are of its own slice, which no view shows as a slab now.
    await viewer.press('axial', 'ArrowUp');
    expect(await scope()).toMatch(/ voxels$/);
    await viewer.press('axial', 'ArrowDown');
    expect(await scope()).toMatch(/ voxels of the centre slice$/);
    // A layout of the coronal view alone hides the axial slab.
    await page.getByTestId('layout-view').selectOption('coronal');
    await page.getByTestId('layout-one').click();
    expect(await scope()).toMatch(/ voxels$/);
    await page.getByTestId('layout-four').click();
    expect(await scope()).toMatch(/ voxels of the centre slice$/);
    await mpr.setSlab('axial', 'mip', 0, 1);
    await measurements.delete(0);
  });

  it('4. turning the axial crosshair turns the other two planes only, and Reset planes brings back the planes it opened with', async () => {
    const { viewer, page } = session;
    await viewer.mpr.turn('axial', 20);
    expect((await viewer.viewport('axial')).standard).toBe(true);
    expect([(await viewer.viewport('coronal')).standard, (await viewer.viewport('sagittal')).standard]).toEqual([false, false]);
    expect([await title('coronal'), await title('sagittal')]).toEqual(['Coronal · oblique', 'Sagittal · oblique']);
    expect(await page.getByTestId('mpr-reset').isDisabled()).toBe(false);
    // Back to the stored axial and coronal slices, and the sagittal slice on its square grid.
    await viewer.mpr.reset();
    expect(await Promise.all(viewNames.map(async (view) => (await viewer.viewport(view)).standard))).toEqual([true, true, false]);
    expect(await title('sagittal')).toMatch(/^Sagittal · \d+ \/ 512 · resampled \(tilted scan\)$/);
    await saveScreenshot(viewer, 'tilted-ct');
    expect(session.errors).toEqual([]);
  });
});
