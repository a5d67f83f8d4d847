import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../main/nifti/readNifti.js';
import { writeNifti } from '../../main/nifti/writeNifti.js';
import { createVolume } from '../../main/volume/Volume.js';
import { dice, makeDemoPhantom, type DemoPhantom } from '../phantoms/makeDemoPhantom.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import type { Index3, PageGlobal } from './pages/pageShapes.js';
import { saveScreenshot } from './support/screenshots.js';

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The phantoms' grid: axis-aligned, 1.5 × 1.5 × 2 mm. */
const grid = {
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  spacing: [1.5, 1.5, 2],
} as const;

/**
 * Reloads the page, as a crash would, accepting the browser's questions, and reopens `scan` until its recovery bar
 * shows; resolves with the kinds of the questions asked.
 */
async function reloadAndReopen(session: ViewerSession, scan: string): Promise<string[]> {
  const { viewer, page } = session;
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    void d.accept();
  });
  await page.reload();
  await page.getByTestId('open-file').waitFor();
  await viewer.openScan(scan, 'file');
  await page.getByTestId('recovery').waitFor();
  return dialogs;
}

/** Restore on the recovery bar, once the restored segmentation is shown. */
async function restoreFromBanner({ page }: ViewerSession): Promise<void> {
  await page.getByTestId('recovery-restore').click();
  await page.waitForFunction(() => (globalThis as unknown as PageGlobal).__axialViewState?.maskId != null);
}

/** Writes phantom 7 on the grid to `first` and phantom 8, at twice the spacing, to `second`; resolves with the first. */
async function writeTwoScans(first: string, second: string): Promise<DemoPhantom> {
  const phantom = makeDemoPhantom(7, grid);
  await writeNifti(phantom.image, first);
  await writeNifti(makeDemoPhantom(8, { ...grid, spacing: [3, 3, 4] }).image, second);
  return phantom;
}

describe.skipIf(!canLaunchViewer)(`no edit is lost silently (${canLaunchViewer ? 'generated phantoms' : cannotLaunchReason})`, () => {
  let session: ViewerSession;
  let phantom: DemoPhantom;
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-unsaved-'));
  const recoveryDir = join(scratch, 'recovery');
  const first = join(scratch, 'first.nii.gz');
  const second = join(scratch, 'second.nii.gz');
  const labelMap = join(scratch, 'map.nii.gz');

  /** Main's copy of a mask layer, as the host serves it. */
  async function layerBytes(maskId: string, layer: number): Promise<Uint8Array> {
    const response = await fetch(`${session.host.url}/data/mask/${encodeURIComponent(`${maskId}:${layer}`)}`);
    expect(response.ok, `mask layer ${layer}`).toBe(true);
    return new Uint8Array(await response.arrayBuffer());
  }

  const countOf = (labels: ArrayLike<number>, value: number): number => Array.prototype.filter.call(labels, (v: number) => v === value).length;

  /** Adds a segment and dabs a 6 mm disc on the axial view's centre; resolves with the segment's key, maskId and voxel count. */
  async function paintOnce(): Promise<{ key: string; maskId: string; voxels: number }> {
    const { viewer } = session;
    const key = await viewer.editing.addSegment();
    await viewer.editing.chooseTool('brush');
    await viewer.editing.setBrush(6, 'disc');
    const axial = await viewer.viewport('axial');
    const [ni, nj] = phantom.image.dimensions;
    const centre: Index3 = [Math.round(ni / 2), Math.round(nj / 2), axial.slice];
    await viewer.editing.dabAt('axial', centre);
    const { voxels } = await viewer.editing.stats(key);
    expect(voxels).toBeGreaterThan(20);
    return { key, maskId: (await viewer.sceneIds()).maskId!, voxels };
  }

  async function focused(): Promise<string | null> {
    type Focus = { readonly document: { readonly activeElement: { getAttribute(name: string): string | null } | null } };
    return session.page.evaluate(() => (globalThis as unknown as Focus).document.activeElement?.getAttribute('data-testid') ?? null);
  }

  beforeAll(async () => {
    phantom = await writeTwoScans(first, second);
    // A label map of the first scan: the organ (1), a slab of the left side (2) and one of the back (3).
    const [ni, nj] = phantom.image.dimensions;
    const map = Uint8Array.from(phantom.truth, (t, n) => (t === 1 ? 1 : n % ni < 12 ? 2 : Math.floor(n / ni) % nj < 10 ? 3 : 0));
    const { dimensions, spacing, origin, direction } = phantom.image;
    await writeNifti(
      createVolume({ dimensions, spacing, origin, direction, voxels: map, metadata: { format: 'nifti', windowPresets: [], fileCount: 1 } }),
      labelMap,
      { intent: 'label' },
    );
    session = await launchViewer({ host: { deps: { recoveryDir } } });
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it('1. opening another scan over unsaved edits asks: Cancel keeps them, Discard drops them and their journal, Save writes the file first', async () => {
    const { viewer, page, host } = session;
    const firstId = await viewer.openScan(first, 'file');
    const painted = await paintOnce();
    expect(countOf(await layerBytes(painted.maskId, 0), 1)).toBe(painted.voxels);
    expect(readdirSync(recoveryDir)).toHaveLength(1);

    // Cancel, by keyboard: focus starts on Save, Tab cycles inside the dialog, Esc answers Cancel.
    host.answerNextOpen(second);
    await page.getByTestId('open-file').click();
    const dialog = viewer.unsavedDialog();
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toMatch(/Save changes to “first\.nii\.gz segmentation” before opening another scan\?/);
    expect(text).toMatch(/It has \d+ unsaved changes\. If you discard them, they are lost and not offered again\./);
    expect(text).not.toMatch(uuid);
    expect(text).not.toMatch(/[A-Z]+_[A-Z_]+|Error|at \w+ \(/);
    expect(await focused()).toBe('unsaved-save');
    await saveScreenshot(viewer, 'unsaved-edits', true);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('unsaved-discard');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('unsaved-cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await viewer.sceneIds()).toMatchObject({ volumeId: firstId, maskId: painted.maskId });
    expect((await viewer.editing.stats(painted.key)).voxels).toBe(painted.voxels);
    expect(countOf(await layerBytes(painted.maskId, 0), 1)).toBe(painted.voxels);
    // The Esc was the dialog's: the brush is still the tool.
    expect(await page.getByTestId('tool-brush').getAttribute('aria-pressed')).toBe('true');
    expect(readdirSync(recoveryDir)).toHaveLength(1);

    // Discard: the scan switches, the journal is gone, and the first scan offers nothing to restore.
    const secondId = await viewer.openScan(second, 'file', { answer: 'discard' });
    expect(secondId).not.toBe(firstId);
    expect(readdirSync(recoveryDir)).toEqual([]);
    await viewer.openScan(first, 'file');
    expect(await page.getByTestId('recovery').count()).toBe(0);

    // Save: the label map is written (NIfTI by default) before the scan switches.
    const saved = await paintOnce();
    const out = join(scratch, 'saved-first');
    let switched = false;
    const opening = viewer.openScan(second, 'file', { answer: 'save', savePath: out }).then((id) => ((switched = true), id));
    await opening;
    expect(switched).toBe(true);
    expect(host.dialogs.at(-1)).toEqual({ kind: 'save', suggestedName: 'first.nii.gz segmentation.nii.gz' });
    expect(existsSync(`${out}.nii.gz`)).toBe(true);
    const written = (await readNifti(`${out}.nii.gz`)).volume.voxels;
    expect(countOf(written, 1)).toBe(saved.voxels);
    expect(readdirSync(recoveryDir)).toEqual([]);
    await viewer.openScan(first, 'file');
    expect(await page.getByTestId('recovery').count()).toBe(0);
    expect(session.errors).toEqual([]);
  }, 240_000);

  it('2. reloading the page (as a crash would) loses nothing: reopening the scan offers Restore, which gives back every voxel', async () => {
    const { viewer, page } = session;
    const painted = await paintOnce();
    const before = await layerBytes(painted.maskId, 0);
    // The browser's own "Leave page?" question came first (a page may not put its own in the way of unloading).
    expect(await reloadAndReopen(session, first)).toEqual(['beforeunload']);
    expect(readdirSync(recoveryDir)).toHaveLength(1);
    const banner = page.getByTestId('recovery');
    expect(await banner.innerText()).toMatch(/unsaved edits to “first\.nii\.gz segmentation”/);
    expect(await page.getByTestId('recovery-restore').innerText()).toMatch(/^Restore \d+ edits?$/);
    expect(await page.getByTestId('recovery-dropped').count()).toBe(0);
    await restoreFromBanner(session);
    await page.getByTestId(`segment-${painted.key}`).waitFor();
    const { maskId } = await viewer.sceneIds();
    expect(Buffer.from(await layerBytes(maskId!, 0)).equals(Buffer.from(before))).toBe(true);
    expect((await viewer.editing.stats(painted.key)).voxels).toBe(painted.voxels);
    expect(await banner.count()).toBe(0);
    expect(session.errors).toEqual([]);
  }, 240_000);

  it("3. a model run over an open label map keeps the map's segments, adds the model's after them, and Undo takes them out", async () => {
    const { viewer, page } = session;
    // The restored edits are unsaved: opening labels over them asks too.
    const opening = viewer.openLabels(labelMap);
    await viewer.answerUnsaved('discard');
    const maskId = await opening;
    expect(await viewer.segments.keys()).toEqual(['0:1', '0:2', '0:3']);
    const map = await layerBytes(maskId, 0);

    expect(await page.getByTestId('model-target').inputValue()).toBe('append');
    await page.getByTestId('model-select').selectOption('demo');
    await page.getByTestId('run-model').click();
    await page
      .getByTestId('status')
      .filter({ hasText: /^Added 2 segments from the model/ })
      .or(page.getByTestId('error'))
      .first()
      .waitFor({ timeout: 300_000 });
    await viewer.throwOnError();
    await page.waitForFunction(() => {
      const panel = (globalThis as unknown as PageGlobal).document.querySelector('[data-testid="segments"]');
      return panel?.getAttribute('data-revision') === panel?.getAttribute('data-stats-revision');
    });
    expect((await viewer.sceneIds()).maskId).toBe(maskId);
    expect(await viewer.segments.keys()).toEqual(['0:1', '0:2', '0:3', '1:4', '1:5']);
    expect(await page.getByTestId('segment-name-0:2').inputValue()).toBe('Label 2');
    // Main's copy: the map's voxels untouched, the model's organ (now 4) and bone (5) in a layer of their own.
    expect(Buffer.from(await layerBytes(maskId, 0)).equals(Buffer.from(map))).toBe(true);
    const model = await layerBytes(maskId, 1);
    expect(
      dice(
        model.map((v) => (v === 4 ? 1 : v === 5 ? 2 : 0)),
        phantom.truth,
        1,
      ),
    ).toBeGreaterThanOrEqual(0.9);
    expect(
      dice(
        model.map((v) => (v === 4 ? 1 : v === 5 ? 2 : 0)),
        phantom.truth,
        2,
      ),
    ).toBeGreaterThanOrEqual(0.9);

    expect(await page.getByTestId('undo').isDisabled()).toBe(false);
    await viewer.editing.undo();
    expect(await viewer.segments.keys()).toEqual(['0:1', '0:2', '0:3']);
    expect(countOf(await layerBytes(maskId, 1), 0)).toBe(phantom.truth.length);
    expect(Buffer.from(await layerBytes(maskId, 0)).equals(Buffer.from(map))).toBe(true);
    await viewer.editing.redo();
    expect(await viewer.segments.keys()).toEqual(['0:1', '0:2', '0:3', '1:4', '1:5']);
    expect(session.errors).toEqual([]);
  }, 360_000);

  it('4. Discard for a scan that then fails to load: the segmentation stays on screen, unsaved and journaled', async () => {
    const { viewer, page, host } = session;
    // A NIfTI whose header is whole and whose voxels are cut short: it scans, and fails to load.
    const full = join(scratch, 'full.nii');
    await writeNifti(makeDemoPhantom(9, { ...grid, spacing: [3, 3, 4] }).image, full);
    const broken = join(scratch, 'broken.nii');
    writeFileSync(broken, readFileSync(full).subarray(0, 600));
    const before = await viewer.sceneIds();
    // Nothing left to send: a focused field would commit itself (an edit) when the toolbar is clicked.
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } }).document.activeElement?.blur?.());
    await page.waitForFunction(() => {
      const panel = (globalThis as unknown as PageGlobal).document.querySelector('[data-testid="segments"]');
      return panel?.getAttribute('data-revision') === panel?.getAttribute('data-stats-revision');
    });
    host.answerNextOpen(broken);
    await page.getByTestId('open-file').click();
    await viewer.answerUnsaved('discard');
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('error').innerText()).toMatch(/^Could not load the series/);
    expect(await viewer.sceneIds()).toMatchObject(before);
    // Main counts it unsaved again, and its journal is back: reopening the scan would offer Restore.
    const status = await page.evaluate(async (maskId) => {
      type Api = { readonly axial: { 'mask:status'(args: { maskId: string }): Promise<{ ok: boolean; value?: { unsavedEdits: number } }> } };
      return (globalThis as unknown as Api).axial['mask:status']({ maskId });
    }, before.maskId!);
    expect(status.value?.unsavedEdits).toBeGreaterThan(0);
    expect(readdirSync(recoveryDir)).toHaveLength(1);
    await page.getByTestId('error-dismiss').click();
  }, 120_000);
});

describe.skipIf(!canLaunchViewer)(`a model's result is unsaved work (${canLaunchViewer ? 'a generated phantom' : cannotLaunchReason})`, () => {
  it('shown as a segmentation of its own: opening another scan asks first, and after a reload (as a crash would) Restore gives it back', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-result-'));
    const recoveryDir = join(scratch, 'recovery');
    const first = join(scratch, 'first.nii.gz');
    const second = join(scratch, 'second.nii.gz');
    const phantom = await writeTwoScans(first, second);
    const session = await launchViewer({ host: { deps: { recoveryDir } } });
    try {
      const { viewer, page, host } = session;
      const firstId = await viewer.openScan(first, 'file');
      const { maskId } = await viewer.runDemoModel();
      const layer = async (id: string): Promise<Buffer> => {
        const response = await fetch(`${host.url}/data/mask/${encodeURIComponent(`${id}:0`)}`);
        expect(response.ok).toBe(true);
        return Buffer.from(await response.arrayBuffer());
      };
      const result = await layer(maskId);
      expect(dice(result, phantom.truth, 1)).toBeGreaterThanOrEqual(0.9);
      // Main counts it as one unsaved change and journals it, before any edit.
      expect(readdirSync(recoveryDir)).toHaveLength(1);

      host.answerNextOpen(second);
      await page.getByTestId('open-file').click();
      const dialog = viewer.unsavedDialog();
      await dialog.waitFor();
      // Said as a result not yet saved, not as one change.
      expect(await dialog.innerText()).toMatch(/^Save “.+ segmentation” before opening another scan\?\s+The model’s result is not saved yet\./);
      await page.getByTestId('unsaved-cancel').click();
      await dialog.waitFor({ state: 'detached' });
      expect(await viewer.sceneIds()).toMatchObject({ volumeId: firstId, maskId });

      // A reload loses nothing: the browser's own question first, then Restore on reopening the scan.
      expect(await reloadAndReopen(session, first)).toEqual(['beforeunload']);
      expect(await page.getByTestId('recovery-restore').innerText()).toBe('Restore 1 edit');
      await restoreFromBanner(session);
      const restored = (await viewer.sceneIds()).maskId!;
      expect((await layer(restored)).equals(result)).toBe(true);
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 360_000);
});

describe.skipIf(!canLaunchViewer)(`edits the recovery journal cannot take (${canLaunchViewer ? 'a generated phantom' : cannotLaunchReason})`, () => {
  it('are kept and saved all the same; the page says once that a crash would lose them, the reason behind Details', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-unprotected-'));
    // A file where the recovery folder's parent should be: no journal can be written (ENOTDIR), as on a full or locked disk.
    const blocked = join(scratch, 'not-a-folder');
    writeFileSync(blocked, 'not a folder');
    const scan = join(scratch, 'scan.nii.gz');
    const phantom = makeDemoPhantom(7, grid);
    await writeNifti(phantom.image, scan);
    const session = await launchViewer({ host: { deps: { recoveryDir: join(blocked, 'recovery') } } });
    try {
      const { viewer, page } = session;
      await viewer.openScan(scan, 'file');
      // The first change (a new segment) is the one that finds the journal unwritable: the banner says so.
      await expect(viewer.editing.addSegment()).rejects.toThrow(/Your edits are kept, but a crash now would lose them/);
      expect(await viewer.statusDetails()).toEqual([expect.stringMatching(/ENOTDIR/)]);
      await saveScreenshot(viewer, 'unprotected-edits');
      await page.getByTestId('error-dismiss').click();
      // Later changes are not said again, and main keeps every one.
      await viewer.editing.chooseTool('brush');
      await viewer.editing.setBrush(6, 'disc');
      const axial = await viewer.viewport('axial');
      const [ni, nj] = phantom.image.dimensions;
      await viewer.editing.dabAt('axial', [Math.round(ni / 2), Math.round(nj / 2), axial.slice]);
      const { voxels } = await viewer.editing.stats('0:1');
      expect(voxels).toBeGreaterThan(20);
      const saved = join(scratch, 'kept.nii.gz');
      expect(await viewer.editing.export('nifti', saved)).toMatch(/kept\.nii\.gz/);
      const labels = (await readNifti(saved)).volume.voxels;
      expect(Array.prototype.filter.call(labels, (v: number) => v === 1)).toHaveLength(voxels);
    } finally {
      await session.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 180_000);
});
