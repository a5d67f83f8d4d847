import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexToWorld } from '../../core/geometry/indexToWorld.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { clickVoxel } from '../../main/segmentation/interactive/clickVoxel.js';
import { segmentWithClicks } from '../../main/segmentation/interactive/segmentWithClicks.js';
import { loadModelSpec } from '../../main/segmentation/loadModelSpec.js';
import { createOnnxRunner } from '../../main/segmentation/onnx/createOnnxRunner.js';
import { deepEditBundle, makeDeepEditPhantoms, organDice, type DeepEditPhantom } from '../unit/segmentation/interactive/deepeditPhantomCases.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { InteractiveTools } from './pages/InteractiveTools.js';
import type { Index3, PageGlobal } from './pages/pageShapes.js';
import { saveScreenshot } from './support/screenshots.js';

const timeoutMs = 60_000;

describe.skipIf(!canLaunchViewer)(
  `click-to-segment with the DeepEdit demo, through the viewer (${canLaunchViewer ? 'generated phantom' : cannotLaunchReason})`,
  () => {
    let session: ViewerSession;
    let phantom: DeepEditPhantom;
    let tools: InteractiveTools;
    const clicks: { kind: 'fg' | 'bg'; index: Index3 }[] = [];
    const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-click-segment-'));

    /** Clicks voxel `index` in the axial view (right button for an outside point); resolves once the model's answer to it is shown. */
    const click = async (kind: 'fg' | 'bg', index: Index3): Promise<void> => {
      const { viewer } = session;
      await viewer.scrollTo('axial', index[2]);
      const [sample] = await viewer.pixelsAt('axial', [index]);
      const box = (await session.page.locator('[data-testid="viewport-axial"] canvas').boundingBox())!;
      await session.page.mouse.click(box.x + sample!.cssX, box.y + sample!.cssY, { button: kind === 'fg' ? 'left' : 'right' });
      clicks.push({ kind, index });
      await session.page.waitForFunction(
        (count) => {
          const { document } = globalThis as unknown as PageGlobal;
          const status = document.querySelector('[data-testid="click-segment-status"]');
          if (document.querySelector('[data-testid="error"]')) return true;
          const total = Number(status?.getAttribute('data-foreground')) + Number(status?.getAttribute('data-background'));
          return total === count && status?.getAttribute('data-running') === 'false';
        },
        clicks.length,
        { timeout: timeoutMs },
      );
      await viewer.throwOnError();
    };

    beforeAll(async () => {
      phantom = (await makeDeepEditPhantoms(scratch, [60320]))[0]!;
      session = await launchViewer();
      tools = new InteractiveTools(session.page, session.viewer);
      await session.viewer.openScan(phantom!.path, 'file');
    }, hookTimeoutMs);
    afterAll(async () => {
      await session?.close();
      rmSync(scratch, { recursive: true, force: true });
    }, hookTimeoutMs);

    it('1. two clicks in the organ and one on a look-alike outside it preview the organ: the voxels of the same clicks run in Node', async () => {
      const { viewer, page } = session;
      expect(await viewer.editing.addSegment()).toBe('0:1');
      await viewer.withTab('edit', () => page.getByTestId('click-segment-toggle').click());
      const centre = clickVoxel(phantom.volume, phantom.organCentre)!;
      const second: Index3 = [centre[0] + 3, centre[1] - 2, centre[2]];
      const outside = clickVoxel(phantom.volume, phantom.distractorCentres[0]!)!;
      await click('fg', centre as unknown as Index3);
      const first = (await tools.previewVoxels())!;
      expect(first).toBeGreaterThan(100);
      await click('fg', second);
      await click('bg', outside as unknown as Index3);
      const shown = (await tools.previewVoxels())!;
      expect(await tools.previewPixels('axial')).toBeGreaterThan(50);
      expect(await page.getByTestId('click-segment-status').textContent()).toMatch(/^2 organ clicks, 1 outside click; preview in /);

      // The same clicks (each at its voxel's centre, as the views send them) run here in Node on the same model.
      const spec = await loadModelSpec(deepEditBundle);
      const runner = await createOnnxRunner(spec.modelPath, 'cpu', spec);
      try {
        const points = clicks.map(({ kind, index }) => ({ kind, world: indexToWorld(phantom.volume, index) as Vec3 }));
        const expected = await segmentWithClicks({ volume: phantom.volume, spec, runBatch: runner.runBatch, points, roi: 'scan' });
        const labels = expected.labels.voxels;
        let voxels = 0;
        for (let n = 0; n < labels.length; n++) voxels += labels[n] === 1 ? 1 : 0;
        const dice = organDice(phantom.truth, labels).toFixed(3);
        console.log(`click-to-segment e2e: preview ${first} then ${shown} voxels; Node ${voxels}; Dice against the truth ${dice}`);
        expect(Math.abs(shown - voxels)).toBeLessThanOrEqual(Math.max(2, voxels * 0.002));
        expect(organDice(phantom.truth, labels)).toBeGreaterThan(0.8);
      } finally {
        await runner.release();
      }
      // Until Apply the segment is only proposed: the bar says Apply makes a new one, named after the model's label.
      expect(await page.getByTestId('preview').innerText()).toMatch(/Click to segment: a new segment “.+” of these [\d,]+ voxels/);
      await viewer.withTab('edit', () => saveScreenshot(viewer, 'click-to-segment', true));
    });

    it('2. Apply makes the preview the organ segment (the segment and its voxels one undo step); Undo takes both out again', async () => {
      const { viewer } = session;
      const proposed = (await tools.previewVoxels())!;
      // Until Apply the result is only a preview: no segment yet.
      expect(await viewer.segments.keys()).toEqual(['0:1']);
      await tools.apply();
      expect(await tools.previewVoxels()).toBeNull();
      const applied = await viewer.editing.stats('0:2');
      expect(applied.voxels).toBe(proposed);
      await viewer.editing.undo();
      await expect.poll(() => viewer.segments.keys(), { timeout: timeoutMs }).toEqual(['0:1']);
      await viewer.editing.redo();
      expect((await viewer.editing.stats('0:2')).voxels).toBe(proposed);
    });

    it("3. a new session's preview, cancelled, leaves no segment behind and the applied one as it was", async () => {
      const { viewer, page } = session;
      const toggle = (): Promise<void> => viewer.withTab('edit', () => page.getByTestId('click-segment-toggle').click());
      await toggle();
      await toggle();
      clicks.length = 0;
      await click('fg', clickVoxel(phantom.volume, phantom.organCentre)! as unknown as Index3);
      expect((await tools.previewVoxels())!).toBeGreaterThan(100);
      expect(await viewer.segments.keys()).toEqual(['0:1', '0:2']);
      await tools.cancel();
      await expect.poll(() => viewer.segments.keys(), { timeout: timeoutMs }).toEqual(['0:1', '0:2']);
      expect((await viewer.editing.stats('0:2')).voxels).toBeGreaterThan(100);
    });
  },
);
