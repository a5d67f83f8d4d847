import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../main/nifti/writeNifti.js';
import { createVolume } from '../../main/volume/Volume.js';
import { runPythonJson } from '../python.js';
import { makeTwoOrganPhantom, type TwoOrganPhantom } from '../unit/core/segmentation/growFromSeedsPhantom.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { Index3, PageGlobal } from './pages/pageShapes.js';
import { InteractiveTools } from './pages/InteractiveTools.js';
import { saveScreenshot } from './support/screenshots.js';

const timeoutMs = 60_000;

/** Seed dabs (axial slice k, voxel i, j) per segment: organ A (60 HU), organ B (130 HU), the fat around them. */
const dabs: Record<'0:1' | '0:2' | '0:3', Index3[]> = {
  '0:1': [18, 24, 30].flatMap((k): Index3[] => [
    [20, 28, k],
    [24, 34, k],
  ]),
  '0:2': [18, 24, 30].flatMap((k): Index3[] => [
    [45, 30, k],
    [47, 35, k],
  ]),
  // Fat on slices 6 and 42 too, above and below both organs, so the seeds' box (widened by a tenth) holds the organs whole.
  '0:3': [
    [32, 32, 6],
    [32, 32, 42],
    ...[18, 24, 30].flatMap((k): Index3[] => [
      [6, 8, k],
      [58, 8, k],
      [6, 56, k],
      [58, 56, k],
      [4, 32, k],
      [60, 32, k],
      [32, 6, k],
      [32, 58, k],
    ]),
  ],
};

/** The grow note once the grow after `grows` earlier ones has been proposed (or failed); resolves with its attributes. */
async function grown(page: Page, grows: number): Promise<{ voxels: number; incremental: boolean; ms: number; inWorker: boolean }> {
  await page.waitForFunction(
    (after) => {
      const { document } = globalThis as unknown as PageGlobal;
      const note = document.querySelector('[data-testid="grow-note"]');
      const phase = note?.getAttribute('data-phase');
      return (
        document.querySelector('[data-testid="error"]') !== null ||
        phase === 'failed' ||
        (phase === 'ready' && Number(note?.getAttribute('data-grows')) > after)
      );
    },
    grows,
    { timeout: timeoutMs },
  );
  const note = page.getByTestId('grow-note');
  if ((await note.getAttribute('data-phase')) === 'failed') throw new Error(`grow failed: ${await note.textContent()}`);
  return {
    voxels: Number(await note.getAttribute('data-voxels')),
    incremental: (await note.getAttribute('data-incremental')) === 'true',
    ms: Number(await note.getAttribute('data-ms')),
    inWorker: (await note.getAttribute('data-worker')) === 'true',
  };
}

/** Dice of each organ in an exported label map (read with nibabel) against the phantom's truth. */
function diceOfExport(path: string, phantom: TwoOrganPhantom, truthPath: string): { a: number; b: number } {
  const [nx, ny, nz] = phantom.dimensions;
  const script = `
import json, sys, nibabel as nib, numpy as np
out = np.asarray(nib.load(sys.argv[1]).dataobj)
truth = np.fromfile(sys.argv[2], np.uint8).reshape(${nz}, ${ny}, ${nx}).transpose(2, 1, 0)
dice = lambda v: float(2 * ((out == v) & (truth == v)).sum() / ((out == v).sum() + (truth == v).sum()))
print(json.dumps({'a': dice(1), 'b': dice(2)}))
`;
  return runPythonJson(script, [path, truthPath]);
}

describe.skipIf(!canLaunchViewer)(
  `grow from seeds on two touching organs, through the viewer (${canLaunchViewer ? 'generated phantom' : cannotLaunchReason})`,
  () => {
    let session: ViewerSession;
    let tools: InteractiveTools;
    const phantom = makeTwoOrganPhantom(20);
    const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-grow-'));
    const phantomPath = join(scratch, 'organs.nii.gz');
    const truthPath = join(scratch, 'truth.raw');

    beforeAll(async () => {
      const identity = [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ] as const;
      const metadata = { format: 'nifti', modality: 'CT', units: 'HU', windowPresets: [], fileCount: 1 } as const;
      await writeNifti(
        createVolume({ dimensions: phantom.dimensions, spacing: phantom.spacing, origin: [0, 0, 0], direction: identity, voxels: phantom.image, metadata }),
        phantomPath,
      );
      writeFileSync(truthPath, phantom.truth);
      session = await launchViewer();
      tools = new InteractiveTools(session.page, session.viewer);
      await session.viewer.openScan(phantomPath, 'file');
    }, hookTimeoutMs);
    afterAll(async () => {
      await session?.close();
      rmSync(scratch, { recursive: true, force: true });
    }, hookTimeoutMs);

    it('1. seeds painted with the brush in organ A, organ B and the fat grow into a preview of organ A; one more stroke grows again', async () => {
      const { viewer, page } = session;
      const { editing } = viewer;
      for (const key of ['0:1', '0:2', '0:3'] as const) expect(await editing.addSegment()).toBe(key);
      await editing.chooseTool('brush');
      await editing.setBrush(2, 'disc');
      for (const key of ['0:1', '0:2', '0:3'] as const) {
        await viewer.withTab('segments', () => page.getByTestId(`segment-active-${key}`).check());
        for (const at of dabs[key]) {
          await viewer.scrollTo('axial', at[2]);
          await editing.dabAt('axial', at);
        }
      }
      await viewer.withTab('segments', () => page.getByTestId('segment-active-0:1').check());
      await viewer.withTab('edit', () => page.getByTestId('tool-grow').click());
      const first = await grown(page, 0);
      expect(first.voxels).toBeGreaterThan(10_000);
      expect(first.inWorker).toBe(true);
      expect(await tools.previewVoxels()).toBe(first.voxels);
      expect(await tools.previewPixels('axial')).toBeGreaterThan(100);
      // Nothing reaches the segmentation before Apply: organ A holds only its seed dabs.
      expect((await editing.stats('0:1')).voxels).toBeLessThan(200);

      // A stroke inside the last grow's box (seeds only added): grown from the new seeds against the kept distances.
      await viewer.scrollTo('axial', 21);
      await editing.dabAt('axial', [22, 32, 21]);
      const second = await grown(page, 1);
      expect(second.incremental).toBe(true);
      await saveScreenshot(viewer, 'grow-from-seeds');
    });

    it('2. Apply adds organ A in one step; with A locked, growing with organ B active adds B; both match the truth (Dice ≥ 0.9)', async () => {
      const { viewer, page } = session;
      const { editing } = viewer;
      const voxelsA = (await tools.previewVoxels())!;
      await tools.apply();
      expect((await editing.stats('0:1')).voxels).toBe(voxelsA);
      await expect.poll(() => page.getByTestId('tool-grow').getAttribute('aria-pressed')).toBe('false');

      // Organ A is done: locked, its voxels are a barrier B grows up to (as seeds, all of A would outbid B's few seeds along their contact).
      await viewer.withTab('segments', async () => {
        await page.getByTestId('segment-lock-0:1').check();
        await page.getByTestId('segment-active-0:2').check();
      });
      await viewer.withTab('edit', () => page.getByTestId('tool-grow').click());
      const grownB = await grown(page, 0);
      await tools.apply();
      expect((await editing.stats('0:2')).voxels).toBe(grownB.voxels);

      const exported = join(scratch, 'grown.nii.gz');
      await viewer.exportLabels(exported);
      const dice = diceOfExport(exported, phantom, truthPath);
      console.log(`grow from seeds e2e: Dice organ A ${dice.a.toFixed(4)}, organ B ${dice.b.toFixed(4)}`);
      expect(dice.a).toBeGreaterThanOrEqual(0.9);
      expect(dice.b).toBeGreaterThanOrEqual(0.9);

      // Undo takes organ B's grow back in one step.
      await editing.undo();
      expect((await editing.stats('0:2')).voxels).toBeLessThan(200);
    });
  },
);
