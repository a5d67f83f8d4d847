import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../main/volume/Volume.js';
import { indexToWorld } from '../../core/geometry/indexToWorld.js';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { InteractiveTools } from './pages/InteractiveTools.js';
import type { Index3 } from './pages/pageShapes.js';
import { ctSeriesPath, loadFirstVolume } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

/** Voxels of slice `centre[2]` whose centres lie within `radiusMm` of `centre`'s (what a disc brush paints). */
function discCount(ct: Volume, centre: Index3, radiusMm: number): number {
  const [ni, nj] = ct.dimensions;
  const c = indexToWorld(ct, centre);
  let count = 0;
  for (let j = 0; j < nj; j++) {
    for (let i = 0; i < ni; i++) {
      const p = indexToWorld(ct, [i, j, centre[2]]);
      if (Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2]) <= radiusMm + 1e-9) count++;
    }
  }
  return count;
}

describe.skipIf(!hasSharedData || !canLaunchViewer)(`fill between slices on the CT series, through the viewer (${reason})`, () => {
  let session: ViewerSession;
  let ct: Volume;
  let tools: InteractiveTools;
  /** The slices painted (every fifth), the disc's centre and its voxels per slice. */
  const drawn = [2, 7, 12, 17];
  let centre: Index3;
  let perSlice = 0;

  beforeAll(async () => {
    ct = await loadFirstVolume(ctSeriesPath);
    session = await launchViewer();
    tools = new InteractiveTools(session.page, session.viewer);
    await session.viewer.openScan(ctSeriesPath, 'folder');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
  });

  it('1. paints a 20 mm disc on every fifth axial slice through the brush', async () => {
    const { viewer } = session;
    const { editing } = viewer;
    expect(await editing.addSegment()).toBe('0:1');
    await editing.chooseTool('brush');
    await editing.setBrush(20, 'disc');
    for (const k of drawn) {
      await viewer.scrollTo('axial', k);
      const at = await editing.dabAt('axial', [300, 260, k]);
      expect(at[2]).toBe(k);
      centre ??= at;
      expect([at[0], at[1]]).toEqual([centre[0], centre[1]]);
    }
    perSlice = discCount(ct, centre, 20);
    expect(perSlice).toBeGreaterThan(400);
    expect((await editing.stats('0:1')).voxels).toBe(4 * perSlice);
  });

  it('2. fills the twelve slices between as a preview: drawn in every view, not yet in the segmentation', async () => {
    const { viewer } = session;
    const revision = await tools.storeRevision();
    // The axial view is the active one (the brush was used there); the fill goes across its slices.
    await viewer.editing.chooseTool('navigate');
    await viewer.scrollTo('axial', 4);
    // The crosshair on the disc's centre: the coronal and sagittal views cut through the filled column.
    await viewer.clickVoxel('axial', [centre[0], centre[1], 4]);
    const proposed = await tools.fillBetweenSlices();
    // The same disc on every drawn slice blends into itself: each of the 12 slices between gets exactly the disc.
    expect(proposed).toBe(12 * perSlice);
    expect(await tools.previewPixels('axial')).toBe(perSlice);
    expect(await tools.previewPixels('coronal')).toBeGreaterThan(0);
    expect(await tools.previewPixels('sagittal')).toBeGreaterThan(0);
    // A preview is no edit: the store and main's statistics are as they were.
    expect(await tools.storeRevision()).toBe(revision);
    expect((await viewer.editing.stats('0:1')).voxels).toBe(4 * perSlice);
    await viewer.openTab('edit');
    const path = await saveScreenshot(viewer, 'fill-between-slices', true);
    expect(path).toMatch(/fill-between-slices\.png$/);
  });

  it('3. Apply makes it part of the segment in one step; one Undo takes all of it back', async () => {
    const { editing } = session.viewer;
    await tools.apply();
    expect(await tools.previewVoxels()).toBeNull();
    expect(await tools.previewPixels('axial', true)).toBe(0);
    expect((await editing.stats('0:1')).voxels).toBe(16 * perSlice);
    await editing.undo();
    expect((await editing.stats('0:1')).voxels).toBe(4 * perSlice);
    await editing.redo();
    expect((await editing.stats('0:1')).voxels).toBe(16 * perSlice);
  });

  it('4. Cancel drops a preview and changes nothing', async () => {
    const { viewer } = session;
    await viewer.editing.undo();
    const revision = await tools.storeRevision();
    expect(await tools.fillBetweenSlices()).toBe(12 * perSlice);
    await tools.cancel();
    expect(await tools.previewVoxels()).toBeNull();
    expect(await tools.storeRevision()).toBe(revision);
    expect((await viewer.editing.stats('0:1')).voxels).toBe(4 * perSlice);
  });
});
