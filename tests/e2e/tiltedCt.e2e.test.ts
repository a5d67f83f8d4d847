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

  it('1. shows the three standard planes, untouched: "Axial · k / 20", Im k/20, Loc the slice’s z, Thk its SliceThickness', async () => {
    const { viewer, page } = session;
    expect(tilted.positions).toHaveLength(20);
    // The files really are tilted: a slice's y moves by 2 mm · tan 15° = 0.536 mm per 2 mm of z.
    const [first, second] = tilted.positions;
    expect((first![1] - second![1]) / (first![2] - second![2])).toBeCloseTo(Math.tan((15 * Math.PI) / 180), 5);
    for (const view of viewNames) {
      const state = await viewer.viewport(view);
      expect(state.standard, view).toBe(true);
      expect(await title(view)).toBe(`${view[0]!.toUpperCase()}${view.slice(1)} · ${state.slice + 1} / ${state.slices}`);
    }
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
    await editing.chooseTool('navigate');
  });

  it('4. turning the axial crosshair turns the other two planes only, and Reset planes brings back the standard ones', async () => {
    const { viewer, page } = session;
    await viewer.mpr.turn('axial', 20);
    expect((await viewer.viewport('axial')).standard).toBe(true);
    expect([(await viewer.viewport('coronal')).standard, (await viewer.viewport('sagittal')).standard]).toEqual([false, false]);
    expect(await title('coronal')).toBe('Coronal · oblique');
    expect(await page.getByTestId('mpr-reset').isDisabled()).toBe(false);
    await viewer.mpr.reset();
    for (const view of viewNames) expect((await viewer.viewport(view)).standard, view).toBe(true);
    await saveScreenshot(viewer, 'tilted-ct');
    expect(session.errors).toEqual([]);
  });
});
