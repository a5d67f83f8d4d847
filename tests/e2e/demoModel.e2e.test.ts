import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../main/nifti/writeNifti.js';
import { createVolume, type Volume } from '../../main/volume/Volume.js';
import { dice, makeDemoPhantom, type DemoPhantom } from '../phantoms/makeDemoPhantom.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { viewNames, type Index3, type PageGlobal } from './pages/pageShapes.js';
import { checkOverlayPixels } from './support/checkOverlayPixels.js';
import { fillAlpha, type Rgb } from './support/expectedPixels.js';
import { saveScreenshot } from './support/screenshots.js';

const organ = 1;
const bone = 2;

/** The rounded centroid of the voxels labelled `value` (inside, for a convex organ). */
function centroidOf(phantom: DemoPhantom, value: number): Index3 {
  const [ni, nj] = phantom.image.dimensions;
  let [si, sj, sk, count] = [0, 0, 0, 0];
  phantom.truth.forEach((label, n) => {
    if (label !== value) return;
    si += n % ni;
    sj += Math.floor(n / ni) % nj;
    sk += Math.floor(n / (ni * nj));
    count++;
  });
  return [Math.round(si / count), Math.round(sj / count), Math.round(sk / count)];
}

/** The slice (index axis 2) where the smaller of the organ's and the bone's voxel counts is largest. */
function sliceShowingBoth(phantom: DemoPhantom): number {
  const [ni, nj, nk] = phantom.image.dimensions;
  const counts = Array.from({ length: nk }, () => [0, 0, 0]);
  phantom.truth.forEach((label, n) => counts[Math.floor(n / (ni * nj))]![label]!++);
  const score = counts.map((c) => Math.min(c[organ]!, c[bone]!));
  return score.indexOf(Math.max(...score));
}

/** The volume repeated twice along each axis, the same spacing, origin and direction. */
function tiled(volume: Volume): Volume {
  const [ni, nj, nk] = volume.dimensions;
  const voxels = new (volume.voxels.constructor as new (length: number) => typeof volume.voxels)(8 * ni * nj * nk);
  for (let k = 0; k < 2 * nk; k++)
    for (let j = 0; j < 2 * nj; j++)
      for (let i = 0; i < 2 * ni; i++) voxels[i + 2 * ni * (j + 2 * nj * k)] = volume.voxels[(i % ni) + ni * ((j % nj) + nj * (k % nk))]!;
  return createVolume({ ...volume, dimensions: [2 * ni, 2 * nj, 2 * nk], voxels });
}

describe.skipIf(!canLaunchViewer)(`the demo model run from the viewer on a phantom (${canLaunchViewer ? 'generated phantom' : cannotLaunchReason})`, () => {
  let session: ViewerSession;
  let phantom: DemoPhantom;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-demo-'));
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
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('5. runs the demo model: progress, then an overlay whose label at the organ centre is 1', async () => {
    const { viewer, host } = session;
    await viewer.openScan(phantomPath, 'file');
    const { maskId, progress } = await viewer.runDemoModel();
    expect(progress.seen).toBe(true);
    expect(progress.maxTotal).toBeGreaterThan(0);
    expect(progress.maxDone).toBeGreaterThan(0);
    expect(await session.page.getByTestId('progress').count()).toBe(0);
    // The status says what happened for people; the provider it ran on is behind Details (closed until asked).
    expect(await session.page.getByTestId('status-message').innerText()).toMatch(/^Segmented in \d+(\.\d)? s$/);
    // There: the provider first, then why each GPU provider was passed over on this machine (the CUDA install hint among them).
    const [ranOn, ...skipped] = await viewer.statusDetails();
    expect(ranOn).toMatch(/^Ran on the CPU in \d+(\.\d)? s$/);
    for (const line of skipped) expect(line).toMatch(/^skipped (cuda|webgpu|dml|coreml): /);

    // The labels the viewer was handed, fetched as the page fetches them.
    const response = await fetch(`${host.url}/data/mask/${encodeURIComponent(`${maskId}:0`)}`);
    expect(response.ok).toBe(true);
    const labels = new Uint8Array(await response.arrayBuffer());
    expect(labels.length).toBe(phantom.truth.length);
    expect(dice(labels, phantom.truth, organ)).toBeGreaterThanOrEqual(0.9);
    expect(dice(labels, phantom.truth, bone)).toBeGreaterThanOrEqual(0.9);

    const centre = centroidOf(phantom, organ);
    const [ni, nj] = phantom.image.dimensions;
    expect(phantom.truth[centre[0] + ni * (centre[1] + nj * centre[2])]).toBe(organ);
    expect(labels[centre[0] + ni * (centre[1] + nj * centre[2])]).toBe(organ);

    expect(await viewer.segments.values()).toEqual([organ, bone]);
    const colours = new Map<number, Rgb>([
      [organ, await viewer.segments.colour(organ)],
      [bone, await viewer.segments.colour(bone)],
    ]);
    await viewer.scrollTo('axial', centre[2]);
    const cursor = await viewer.clickVoxel('axial', centre);
    expect(Math.max(...cursor.map((c, a) => Math.abs(c - centre[a]!)))).toBeLessThanOrEqual(1);
    await viewer.hoverVoxel('axial', cursor);
    const readout = await viewer.readout();
    expect(readout.voxel).toBe(cursor.join(','));
    expect(readout.segment).toBe(await viewer.segments.name(organ));

    const alpha = fillAlpha(await viewer.segments.opacity());
    for (const view of viewNames) {
      const check = await checkOverlayPixels(viewer, phantom.image, view, { labels, colours, alpha }, { steps: 40, maxSpan: 16 });
      expect(check.misses, view).toEqual([]);
      expect(check.checkedByLabel.get(organ) ?? 0, `${view}: organ pixels compared`).toBeGreaterThanOrEqual(10);
    }
    // For the picture: the axial slice that shows most of both the organ and the bone.
    await viewer.scrollTo('axial', sliceShowingBoth(phantom));
    await saveScreenshot(viewer, 'demo-model-result', true);
    expect(session.errors).toEqual([]);
  }, 180_000);

  it('6. another scan opened during a run asks first: Keep running opens nothing and the result comes; Stop and open shows the other scan', async () => {
    const { viewer, page, host } = session;
    const otherPath = join(scratch, 'other.nii.gz');
    await writeNifti(makeDemoPhantom(8, { direction: phantom.image.direction, spacing: [1.5, 1.5, 2] }).image, otherPath);
    // The phantom tiled 2×2×2: eight times the windows, so that the run (2 s on the phantom) is still going when asked about.
    const longPath = join(scratch, 'long.nii.gz');
    await writeNifti(tiled(phantom.image), longPath);
    // Test 5's result was never saved: opening the long scan asks about it first.
    await viewer.openScan(longPath, 'file', { answer: 'discard' });
    const ids = (): Promise<{ volumeId: string | null; maskId: string | null }> =>
      page.evaluate(() => {
        const state = (globalThis as unknown as PageGlobal).__axialViewState;
        return { volumeId: state?.volumeId ?? null, maskId: state?.maskId ?? null };
      });
    const dialog = page.getByTestId('running-dialog');
    const runThenOpen = async (): Promise<void> => {
      await page.getByTestId('model-select').selectOption('demo');
      if (await page.getByTestId('model-target').isEnabled()) await page.getByTestId('model-target').selectOption('new');
      await page.getByTestId('run-model').click();
      await page.getByTestId('progress').waitFor({ timeout: 30_000 });
      host.answerNextOpen(otherPath);
      await page.getByTestId('open-file').click();
      await dialog.waitFor({ timeout: 10_000 });
    };

    const first = await ids();
    await runThenOpen();
    expect(await dialog.innerText()).toMatch(/^Stop the model running on this scan\?\s+Opening another scan stops the model now; its result is not kept\./);
    // Focus starts on the choice that loses nothing.
    const focused = await page.evaluate(() => {
      const active = (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement;
      return active?.getAttribute('data-testid') ?? null;
    });
    expect(focused).toBe('running-keep');
    await saveScreenshot(viewer, 'running-model-question');
    await page.getByTestId('running-keep').click();
    await dialog.waitFor({ state: 'detached', timeout: 5_000 });
    // The run goes on to its result, on the same scan.
    await page.waitForFunction(
      (before) => {
        const state = (globalThis as unknown as PageGlobal).__axialViewState;
        return state?.maskId !== null && state?.maskId !== before && !(globalThis as unknown as PageGlobal).document.querySelector('[data-testid="progress"]');
      },
      first.maskId,
      { timeout: 120_000 },
    );
    const kept = await ids();
    expect(kept.volumeId).toBe(first.volumeId);
    expect(await page.getByTestId('status-message').innerText()).toMatch(/^Segmented in /);

    await runThenOpen();
    await page.getByTestId('running-stop').click();
    // The run stops at once; then the kept result's own question (never saved): Discard, and the other scan shows.
    await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 30_000 });
    await viewer.answerUnsaved('discard');
    await page.waitForFunction((before) => (globalThis as unknown as PageGlobal).__axialViewState?.volumeId !== before, kept.volumeId, { timeout: 60_000 });
    const other = await ids();
    expect(other.volumeId).not.toBe(kept.volumeId);
    // The stopped run left no result.
    expect(other.maskId).toBeNull();
    expect(session.errors).toEqual([]);
  }, 240_000);
});
