import type { Page } from 'playwright-core';
import type { TestHost } from '../../host/startTestHost.js';
import type { Index3, OrientationMarkers, PageCanvas, PageGlobal, PixelSample, Readout, SideTab, ViewName, ViewportSnapshot } from './pageShapes.js';
import { viewNames } from './pageShapes.js';
import { EditPanel } from './EditPanel.js';
import { MeasurementPanel } from './MeasurementPanel.js';
import { MprPanel } from './MprPanel.js';
import { SegmentPanel } from './SegmentPanel.js';
import { voxelUnderCss } from './viewGeometry.js';
import type { PanelHost } from './PanelHost.js';

const defaultTimeoutMs = 60_000;

/**
 * The viewer as a user drives it: the toolbar and its dialogs (answered by
 * the test host), the three viewports, the window presets and the readout.
 * Every action that redraws waits for the views' `data-rendered` counters to
 * move on, never for a fixed time.
 */
export class ViewerPage implements PanelHost {
  readonly segments: SegmentPanel;
  readonly editing: EditPanel;
  readonly measurements: MeasurementPanel;
  readonly mpr: MprPanel;

  constructor(
    readonly page: Page,
    readonly host: TestHost,
  ) {
    this.segments = new SegmentPanel(page, this);
    this.editing = new EditPanel(page, this);
    this.measurements = new MeasurementPanel(page, this);
    this.mpr = new MprPanel(page, this);
  }

  async goto(): Promise<void> {
    await this.page.goto(this.host.url);
    await this.page.getByTestId('open-file').waitFor();
  }

  /**
   * Opens a scan through the toolbar, the host answering the dialog with
   * `path`; resolves when every shown view has drawn it. With unsaved edits
   * the viewer first asks Save / Discard: `unsaved` answers (Save with the
   * file the host's save dialog then answers with, `savePath`).
   */
  async openScan(path: string, source: 'file' | 'folder', unsaved?: { readonly answer: 'save' | 'discard'; readonly savePath?: string }): Promise<string> {
    const before = await this.sceneIds();
    const counts = await this.renderedCounts();
    this.host.answerNextOpen(path);
    await this.page.getByTestId(`open-${source}`).click();
    if (unsaved) await this.answerUnsaved(unsaved.answer, unsaved.savePath);
    const volumeId = await this.waitForNewId('volumeId', before.volumeId);
    await this.waitForViews(counts);
    return volumeId;
  }

  /** Opens a scan by the first screen's Open file… / Open folder… (the host answering the dialog); resolves when every view has drawn it. */
  async openFromWelcome(path: string, source: 'file' | 'folder'): Promise<string> {
    const before = await this.sceneIds();
    const counts = await this.renderedCounts();
    this.host.answerNextOpen(path);
    await this.page.getByTestId(`welcome-open-${source}`).click();
    const volumeId = await this.waitForNewId('volumeId', before.volumeId);
    await this.waitForViews(counts);
    return volumeId;
  }

  /** Brings the side panel's tab forward by clicking it (nothing when it is in front already). */
  async openTab(tab: SideTab): Promise<void> {
    const button = this.page.getByTestId(`side-tab-${tab}`);
    if ((await button.getAttribute('aria-selected')) !== 'true') await button.click();
    await this.page.getByTestId(`side-panel-${tab}`).waitFor({ timeout: defaultTimeoutMs });
  }

  /**
   * Runs `action` with the side panel's `tab` in front, then brings back the tab that was in front before,
   * as a user who steps into a tab and back: the page objects leave the panel as they found it.
   */
  async withTab<T>(tab: SideTab, action: () => Promise<T>): Promise<T> {
    const was = await this.page.locator('[role="tab"][aria-selected="true"]').getAttribute('data-testid');
    await this.openTab(tab);
    try {
      return await action();
    } finally {
      if (was && was !== `side-tab-${tab}`) await this.page.getByTestId(was).click();
    }
  }

  /** Opens a label map through the toolbar; resolves with its maskId once every view has drawn it. */
  async openLabels(path: string): Promise<string> {
    const before = await this.sceneIds();
    return this.afterMaskChange(before.maskId, async () => {
      this.host.answerNextOpen(path);
      await this.page.getByTestId('open-labels').click();
    });
  }

  /**
   * Runs the demo model on the open volume into a new segmentation; resolves with the new maskId and
   * what the progress panel showed, once every view has drawn the result.
   */
  async runDemoModel(): Promise<{ maskId: string; progress: { seen: boolean; maxDone: number; maxTotal: number } }> {
    const before = await this.sceneIds();
    await this.page.evaluate(recordProgress);
    await this.page.getByTestId('model-select').selectOption('demo');
    // A segmentation of its own (with one open, the run control would add the result to it, keeping its maskId).
    if (await this.page.getByTestId('model-target').isEnabled()) await this.page.getByTestId('model-target').selectOption('new');
    const maskId = await this.afterMaskChange(before.maskId, () => this.page.getByTestId('run-model').click(), 180_000);
    const progress = await this.page.evaluate(() => (globalThis as unknown as PageGlobal).__e2eProgress!);
    return { maskId, progress };
  }

  /** The Save / Discard / Cancel question about unsaved edits. */
  unsavedDialog(): ReturnType<Page['getByTestId']> {
    return this.page.getByTestId('unsaved-dialog');
  }

  /** Waits for the unsaved-edits question and answers it by its button (Save: the host's save dialog answers `savePath`). */
  async answerUnsaved(answer: 'save' | 'discard' | 'cancel', savePath?: string): Promise<void> {
    await this.unsavedDialog().waitFor({ timeout: defaultTimeoutMs });
    if (answer === 'save') this.host.answerNextSave(savePath);
    await this.page.getByTestId(`unsaved-${answer}`).click();
    await this.unsavedDialog().waitFor({ state: 'detached', timeout: defaultTimeoutMs });
  }

  /** Exports the segmentation in the chosen format to `path` (the host answers the save dialog); resolves with the status line once saved. */
  async exportLabels(path: string): Promise<string> {
    this.host.answerNextSave(path);
    await this.page.getByTestId('export-labels').click();
    const status = this.page.getByTestId('status');
    await status
      .filter({ hasText: /^Saved / })
      .or(this.page.getByTestId('error'))
      .first()
      .waitFor({ timeout: defaultTimeoutMs });
    await this.throwOnError();
    return (await status.textContent()) ?? '';
  }

  /**
   * The status line's Details, one entry a line, read as a user reads them: by opening the disclosure
   * (closed until asked) and reading what then shows, then closing it again (open, it covers part of the
   * views); [] when the status has no Details.
   */
  async statusDetails(): Promise<string[]> {
    const details = this.page.getByTestId('status-details');
    if ((await details.count()) === 0) return [];
    const items = details.locator('li');
    if (await items.first().isVisible()) throw new Error('the status Details were open before they were asked for');
    const summary = details.locator('summary');
    await summary.click();
    await items.first().waitFor({ state: 'visible', timeout: defaultTimeoutMs });
    const lines = await items.allInnerTexts();
    await summary.click();
    await items.first().waitFor({ state: 'hidden', timeout: defaultTimeoutMs });
    return lines;
  }

  /** Clicks a window preset (soft-tissue, lung, bone, brain); resolves when every view has drawn with it. */
  async choosePreset(id: string): Promise<void> {
    await this.redrawing(viewNames, () => this.page.getByTestId(`preset-${id}`).click());
  }

  /** The views' data-rendered counters now (0 for a view not drawn yet). */
  async renderedCounts(): Promise<Record<ViewName, number>> {
    const counts = await this.page.evaluate((names) => {
      const g = globalThis as unknown as PageGlobal;
      return names.map((view) => Number(g.document.querySelector(`[data-testid="viewport-${view}"]`)?.getAttribute('data-rendered') ?? 0));
    }, viewNames);
    return { axial: counts[0]!, coronal: counts[1]!, sagittal: counts[2]! };
  }

  /** Waits until `view`'s data-rendered counter exceeds `afterCounter`; resolves with the new counter. */
  async waitForRendered(view: ViewName, afterCounter: number, timeoutMs = defaultTimeoutMs): Promise<number> {
    const handle = await this.page.waitForFunction(
      ([name, after]) => {
        const g = globalThis as unknown as PageGlobal;
        if (g.document.querySelector('[data-testid="error"]')) return -1;
        const n = Number(g.document.querySelector(`[data-testid="viewport-${name}"]`)?.getAttribute('data-rendered') ?? 0);
        return n > after ? n : 0;
      },
      [view, afterCounter] as const,
      { timeout: timeoutMs },
    );
    const counter = (await handle.jsonValue()) as number;
    if (counter < 0) await this.throwOnError();
    return counter;
  }

  /** Runs `action`, then waits until each of `views` has drawn again. */
  async redrawing(views: readonly ViewName[], action: () => Promise<unknown>, timeoutMs = defaultTimeoutMs): Promise<void> {
    const counts = await this.renderedCounts();
    await action();
    for (const view of views) await this.waitForRendered(view, counts[view], timeoutMs);
  }

  /** The viewport's last drawn state (window.__axialViewState), its function left out. */
  async viewport(view: ViewName): Promise<ViewportSnapshot> {
    const snapshot = await this.page.evaluate((name) => {
      const state = (globalThis as unknown as PageGlobal).__axialViewState?.viewports[name];
      if (!state) return null;
      const { voxelToCss: _drop, ...rest } = state;
      return rest;
    }, view);
    if (!snapshot) throw new Error(`the ${view} view has not drawn`);
    return snapshot;
  }

  async sceneIds(): Promise<{ volumeId: string | null; maskId: string | null; cursor: Index3 | null }> {
    return this.page.evaluate(() => {
      const state = (globalThis as unknown as PageGlobal).__axialViewState;
      return { volumeId: state?.volumeId ?? null, maskId: state?.maskId ?? null, cursor: state?.cursor ?? null };
    });
  }

  /**
   * The canvas pixels (RGBA) where voxel centres land in `view`: each voxel's
   * CSS point (voxelToCss) scaled to device pixels by the canvas's own size.
   */
  async pixelsAt(view: ViewName, indices: readonly Index3[]): Promise<PixelSample[]> {
    return this.page.evaluate(
      ([name, points]) => {
        const g = globalThis as unknown as PageGlobal;
        const state = g.__axialViewState?.viewports[name];
        const element = g.document.querySelector(`[data-testid="viewport-${name}"]`);
        const canvas = element?.querySelector('canvas') as PageCanvas | null | undefined;
        const context = canvas?.getContext('2d');
        if (!state || !canvas || !context) throw new Error(`the ${name} view has no drawn canvas`);
        const sx = canvas.width / canvas.clientWidth;
        const sy = canvas.height / canvas.clientHeight;
        return points.map((index) => {
          const css = state.voxelToCss(index[0], index[1], index[2]);
          const x = Math.floor(css.x * sx);
          const y = Math.floor(css.y * sy);
          const d = context.getImageData(x, y, 1, 1).data;
          const rgba = [d[0]!, d[1]!, d[2]!, d[3]!] as const;
          return { index, rgba, canvasX: x, canvasY: y, cssX: (x + 0.5) / sx, cssY: (y + 0.5) / sy, onSlice: css.onSlice };
        });
      },
      [view, indices] as const,
    );
  }

  /** The RGBA of the canvas pixel where voxel (i, j, k)'s centre lands in `view`. */
  async pixelAt(view: ViewName, i: number, j: number, k: number): Promise<PixelSample> {
    return (await this.pixelsAt(view, [[i, j, k]]))[0]!;
  }

  /** The orientation letters shown at the view's four edges. */
  async markers(view: ViewName): Promise<OrientationMarkers> {
    const text = (side: string) => this.page.getByTestId(`marker-${view}-${side}`).innerText();
    const [left, right, top, bottom] = await Promise.all(['left', 'right', 'top', 'bottom'].map(text));
    return { left: left!, right: right!, top: top!, bottom: bottom! };
  }

  /** Presses a key in the view (ArrowUp/Down, PageUp/Down: slices) and waits for it to redraw. */
  async press(view: ViewName, key: string): Promise<ViewportSnapshot> {
    const element = this.page.getByTestId(`viewport-${view}`);
    await element.focus();
    // Focus makes the view the active one, which may draw it again: let that draw pass first, so the draw awaited
    // below is the key's (on a loaded machine the activation's draw came after the count and passed for the key's).
    await this.page.locator('.viewport-frame.active').getByTestId(`viewport-${view}`).waitFor();
    await this.page.evaluate(() => {
      const frame = (globalThis as unknown as { requestAnimationFrame: (next: () => void) => void }).requestAnimationFrame;
      return new Promise<void>((done) => frame(() => frame(done)));
    });
    await this.redrawing([view], () => element.press(key));
    return this.viewport(view);
  }

  /** Turns the mouse wheel over the view (deltaY < 0: one slice forward) and waits for it to redraw. */
  async wheel(view: ViewName, deltaY: number): Promise<ViewportSnapshot> {
    const box = await this.canvasBox(view);
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.redrawing([view], () => this.page.mouse.wheel(0, deltaY));
    return this.viewport(view);
  }

  /** Steps the view's slice with ArrowUp/ArrowDown until it shows `slice`. */
  async scrollTo(view: ViewName, slice: number): Promise<ViewportSnapshot> {
    let state = await this.viewport(view);
    let key = 'ArrowUp';
    for (let guard = 0; state.slice !== slice; guard++) {
      if (guard > 2 * state.slices) throw new Error(`the ${view} view never reached slice ${slice}`);
      const before = state.slice;
      state = await this.press(view, key);
      if (Math.abs(state.slice - slice) > Math.abs(before - slice)) key = key === 'ArrowUp' ? 'ArrowDown' : 'ArrowUp';
    }
    return state;
  }

  /**
   * Moves the mouse over voxel `index` in `view` (the readout follows the
   * mouse); resolves with the voxel under the pixel it landed on, which may
   * be a neighbour of `index` when voxels are smaller than a pixel.
   */
  async hoverVoxel(view: ViewName, index: Index3): Promise<Index3> {
    const viewport = await this.viewport(view);
    const [sample] = await this.pixelsAt(view, [index]);
    const box = await this.canvasBox(view);
    await this.page.mouse.move(box.x + sample!.cssX, box.y + sample!.cssY);
    return voxelUnderCss(viewport, sample!.cssX, sample!.cssY).map(Math.round) as unknown as Index3;
  }

  /** Whether `view` is the active view (its frame marked active; the 3D view's when `view` is '3d'). */
  async isActive(view: ViewName | '3d'): Promise<boolean> {
    const selector = view === '3d' ? '.viewport-frame.active > [data-testid="viewport-3d"]' : `.viewport-frame.active [data-testid="viewport-${view}"]`;
    return (await this.page.locator(selector).count()) > 0;
  }

  /**
   * Makes `view` the active view as a user does, by clicking it (a click on a view that is not active
   * only activates it: it leaves the crosshair and draws nothing new); nothing when it is active already.
   * The click lands in the view's middle (the corners carry the image overlays); with the Navigate or
   * Rotate tool it changes nothing else, which this checks: the crosshair stays where it was.
   */
  async activate(view: ViewName): Promise<void> {
    if (await this.isActive(view)) return;
    const cursor = (await this.sceneIds()).cursor;
    const box = await this.canvasBox(view);
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.locator(`.viewport-frame.active [data-testid="viewport-${view}"]`).waitFor({ timeout: defaultTimeoutMs });
    const after = (await this.sceneIds()).cursor;
    if (cursor?.join() !== after?.join()) throw new Error(`activating the ${view} view moved the crosshair from ${cursor?.join()} to ${after?.join()}`);
  }

  /**
   * Clicks voxel `index` in `view`, moving the crosshair there; resolves with
   * the crosshair's new voxel (the one under the pixel clicked, which may be
   * a neighbour of `index`) once the views whose slice it moved have drawn.
   * A view that is not active is activated first (see activate): its first click would only activate it.
   */
  async clickVoxel(view: ViewName, index: Index3): Promise<Index3> {
    await this.activate(view);
    const viewport = await this.viewport(view);
    const [sample] = await this.pixelsAt(view, [index]);
    const target = voxelUnderCss(viewport, sample!.cssX, sample!.cssY).map(Math.round) as unknown as Index3;
    const counts = await this.renderedCounts();
    const moved: ViewName[] = [];
    for (const other of viewNames.filter((v) => v !== view)) {
      const state = await this.viewport(other);
      if (state.slice !== target[state.sliceAxis]) moved.push(other);
    }
    const box = await this.canvasBox(view);
    await this.page.mouse.click(box.x + sample!.cssX, box.y + sample!.cssY);
    await this.page.waitForFunction((expected) => (globalThis as unknown as PageGlobal).__axialViewState?.cursor?.join() === expected.join(), target, {
      timeout: defaultTimeoutMs,
    });
    for (const other of moved) await this.waitForRendered(other, counts[other]);
    return target;
  }

  async readout(): Promise<Readout> {
    const readout = this.page.getByTestId('readout');
    const [source, voxel, world, value, segment] = await Promise.all(
      ['data-source', 'data-voxel', 'data-world', 'data-value', 'data-segment'].map((name) => readout.getAttribute(name)),
    );
    return { source: source!, voxel: voxel!, world: world!, value: value!, segment: segment! };
  }

  /** A PNG of the whole window. */
  async screenshot(path: string): Promise<void> {
    await this.page.mouse.move(0, 0);
    await this.page.screenshot({ path, animations: 'disabled' });
  }

  /** @throws Error with the error banner's text, when one shows. */
  async throwOnError(): Promise<void> {
    const banner = this.page.getByTestId('error');
    if (await banner.count()) throw new Error(`the viewer shows an error: ${await banner.innerText()}`);
  }

  private async canvasBox(view: ViewName): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await this.page.locator(`[data-testid="viewport-${view}"] canvas`).boundingBox();
    if (!box) throw new Error(`the ${view} view's canvas is not on screen`);
    return box;
  }

  private async afterMaskChange(previous: string | null, action: () => Promise<unknown>, timeoutMs = defaultTimeoutMs): Promise<string> {
    const counts = await this.renderedCounts();
    await action();
    const maskId = await this.waitForNewId('maskId', previous, timeoutMs);
    await this.waitForViews(counts, timeoutMs);
    return maskId;
  }

  private async waitForViews(before: Record<ViewName, number>, timeoutMs = defaultTimeoutMs): Promise<void> {
    for (const view of viewNames) {
      if (await this.page.getByTestId(`viewport-${view}`).count()) await this.waitForRendered(view, before[view], timeoutMs);
    }
  }

  /** Waits until the scene's `key` (volumeId or maskId) is set and differs from `previous`. */
  private async waitForNewId(key: 'volumeId' | 'maskId', previous: string | null, timeoutMs = defaultTimeoutMs): Promise<string> {
    const handle = await this.page.waitForFunction(
      ([k, prev]) => {
        const g = globalThis as unknown as PageGlobal;
        if (g.document.querySelector('[data-testid="error"]')) return { error: true, id: '' };
        const id = g.__axialViewState?.[k] ?? null;
        return id !== null && id !== prev ? { error: false, id } : false;
      },
      [key, previous] as const,
      { timeout: timeoutMs },
    );
    const result = (await handle.jsonValue()) as { error: boolean; id: string };
    if (result.error) await this.throwOnError();
    return result.id;
  }
}

/** Runs in the page: notes whether the progress panel showed, and the most done/total it showed (it may come and go between polls). */
function recordProgress(): void {
  const g = globalThis as unknown as PageGlobal;
  const record = { seen: false, maxDone: 0, maxTotal: 0 };
  g.__e2eProgress = record;
  const observer = new g.MutationObserver(() => {
    const panel = g.document.querySelector('[data-testid="progress"]');
    if (!panel) return;
    record.seen = true;
    record.maxDone = Math.max(record.maxDone, Number(panel.getAttribute('data-done') ?? 0));
    record.maxTotal = Math.max(record.maxTotal, Number(panel.getAttribute('data-total') ?? 0));
  });
  observer.observe(g.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done', 'data-total'] });
}
