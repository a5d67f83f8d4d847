import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionFromClick } from '../../core/segmentation/regionFromClick.js';
import { writeNifti } from '../../main/nifti/writeNifti.js';
import { dice, makeDemoPhantom, type DemoPhantom } from '../phantoms/makeDemoPhantom.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { InteractiveTools } from './pages/InteractiveTools.js';
import type { Index3 } from './pages/pageShapes.js';

/** The organ's voxel nearest its centroid (a click inside it). */
function organCentre(phantom: DemoPhantom): Index3 {
  const [ni, nj] = phantom.image.dimensions;
  const sum: [number, number, number] = [0, 0, 0];
  let count = 0;
  phantom.truth.forEach((label, n) => {
    if (label !== 1) return;
    sum[0] += n % ni;
    sum[1] += Math.floor(n / ni) % nj;
    sum[2] += Math.floor(n / (ni * nj));
    count++;
  });
  return sum.map((s) => Math.round(s / count)) as unknown as Index3;
}

/** The region the tool should propose for a click, grown here in Node from the same voxels. */
function expectedRegion(phantom: DemoPhantom, seed: Index3, tolerance: number): { voxels: number; dice: number } {
  const values = phantom.image.voxels;
  const r = regionFromClick({ valueAt: (n) => values[n]!, dimensions: phantom.image.dimensions, seed, rule: { kind: 'tolerance', tolerance } });
  return { voxels: r.voxels, dice: dice(r.mask!, phantom.truth, 1) };
}

describe.skipIf(!canLaunchViewer)(
  `region from a click on a generated phantom, through the viewer (${canLaunchViewer ? 'generated phantom' : cannotLaunchReason})`,
  () => {
    let session: ViewerSession;
    let phantom: DemoPhantom;
    let tools: InteractiveTools;
    let seed: Index3;
    const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-region-'));
    const phantomPath = join(scratch, 'phantom.nii.gz');

    beforeAll(async () => {
      phantom = makeDemoPhantom(7, {
        direction: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        spacing: [1.5, 1.5, 2],
      });
      await writeNifti(phantom.image, phantomPath);
      session = await launchViewer();
      tools = new InteractiveTools(session.page, session.viewer);
      await session.viewer.openScan(phantomPath, 'file');
    }, hookTimeoutMs);
    afterAll(async () => {
      await session?.close();
      rmSync(scratch, { recursive: true, force: true });
    }, hookTimeoutMs);

    it('1. a click in the organ proposes the connected voxels within ±40 HU of the clicked value: the same voxels as grown in Node', async () => {
      const { viewer } = session;
      expect(await viewer.editing.addSegment()).toBe('0:1');
      const centre = organCentre(phantom);
      await viewer.scrollTo('axial', centre[2]);
      await tools.regionTool(true);
      expect(await tools.tolerance()).toBe(40);
      const revision = await tools.storeRevision();
      seed = await tools.clickAt('axial', centre);
      const expected = expectedRegion(phantom, seed, 40);
      expect(expected.dice).toBeGreaterThan(0.95);
      expect(await tools.previewVoxels()).toBe(expected.voxels);
      expect(await tools.previewPixels('axial')).toBeGreaterThan(100);
      // The crosshair did not move and nothing was painted: the click went to the tool.
      expect(await tools.storeRevision()).toBe(revision);
    });

    it('2. moving the tolerance slider down to ±15 HU updates the preview to the smaller region', async () => {
      const shown = await tools.stepTolerance(-25);
      expect(await tools.tolerance()).toBe(15);
      const expected = expectedRegion(phantom, seed, 15);
      expect(shown).toBe(expected.voxels);
      expect(expected.voxels).toBeLessThan(expectedRegion(phantom, seed, 40).voxels);
    });

    it('3. Apply adds the region to the segment in one step; Undo removes it', async () => {
      const { editing } = session.viewer;
      const voxels = (await tools.previewVoxels())!;
      await tools.apply();
      expect((await editing.stats('0:1')).voxels).toBe(voxels);
      await editing.undo();
      expect((await editing.stats('0:1')).voxels).toBe(0);
    });
  },
);
