import type { Page } from 'playwright-core';
import type { Index3, PageGlobal, ViewName } from './pageShapes.js';
import type { PanelHost } from './PanelHost.js';
import { voxelUnderCss } from './viewGeometry.js';

const timeoutMs = 60_000;

/**
 * The Edit tab's interactive tools (fill between slices, region from a
 * click) and the preview bar they share: what is proposed (data-voxels),
 * Apply and Cancel, and how much of the proposal each view draws
 * (the viewport's data-preview-pixels).
 */
export class InteractiveTools {
  constructor(
    private readonly page: Page,
    private readonly viewer: PanelHost,
  ) {}

  /** Clicks Fill between slices (the active view's axis); resolves with the voxels the preview proposes. */
  async fillBetweenSlices(): Promise<number> {
    return this.viewer.withTab('edit', async () => {
      await this.page.getByTestId('fill-between-slices').click();
      await this.page.waitForFunction(
        () => {
          const { document } = globalThis as unknown as PageGlobal;
          const button = document.querySelector('[data-testid="fill-between-slices"]');
          const shown = document.querySelector('[data-testid="preview"], [data-testid="fill-note"]');
          return document.querySelector('[data-testid="error"]') !== null || (button?.getAttribute('data-busy') === 'false' && shown !== null);
        },
        undefined,
        { timeout: timeoutMs },
      );
      await this.viewer.throwOnError();
      return (await this.previewVoxels()) ?? 0;
    });
  }

  /** The voxels the shown proposal marks, or null when none is shown. */
  async previewVoxels(): Promise<number | null> {
    const bar = this.page.getByTestId('preview');
    if ((await bar.count()) === 0) return null;
    return Number(await bar.getAttribute('data-voxels'));
  }

  /**
   * Pixels of the proposal that a view draws (its slice or plane), once it
   * has drawn some (or, with `none`, once it draws none).
   */
  async previewPixels(view: ViewName, none = false): Promise<number> {
    await this.page.waitForFunction(
      ([name, empty]) => {
        const { document } = globalThis as unknown as PageGlobal;
        const value = document.querySelector(`[data-testid="viewport-${name}"]`)?.getAttribute('data-preview-pixels');
        return value !== null && value !== undefined && (value === '0') === empty;
      },
      [view, none] as const,
      { timeout: timeoutMs },
    );
    return Number(await this.page.getByTestId(`viewport-${view}`).getAttribute('data-preview-pixels'));
  }

  /** Applies the proposal; resolves once main has the change. */
  async apply(): Promise<void> {
    await this.viewer.withTab('edit', () => this.changing(() => this.page.getByTestId('preview-apply').click()));
  }

  async cancel(): Promise<void> {
    await this.viewer.withTab('edit', () => this.page.getByTestId('preview-cancel').click());
  }

  /** Turns the region-from-a-click tool on or off and picks its rule. */
  async regionTool(on: boolean, mode: 'tolerance' | 'confidence' = 'tolerance'): Promise<void> {
    await this.viewer.withTab('edit', async () => {
      const button = this.page.getByTestId('tool-region');
      if ((await button.getAttribute('aria-pressed')) !== String(on)) await button.click();
      if (on) await this.page.getByTestId(`region-mode-${mode}`).click();
    });
  }

  /** The tolerance slider's value. */
  async tolerance(): Promise<number> {
    return this.viewer.withTab('edit', async () => Number(await this.page.getByTestId('region-tolerance').inputValue()));
  }

  /**
   * Moves the tolerance slider by `steps` (arrow keys, as a user's keyboard
   * does); resolves with the proposal's voxels once the region shown was
   * grown with the slider's new value.
   */
  async stepTolerance(steps: number): Promise<number | null> {
    return this.viewer.withTab('edit', async () => {
      const slider = this.page.getByTestId('region-tolerance');
      await slider.focus();
      for (let n = 0; n < Math.abs(steps); n++) await slider.press(steps < 0 ? 'ArrowLeft' : 'ArrowRight');
      const rule = `tolerance:${await slider.inputValue()}`;
      await this.page
        .getByTestId('region-note')
        .and(this.page.locator(`[data-rule="${rule}"]`))
        .waitFor({ timeout: timeoutMs });
      return this.previewVoxels();
    });
  }

  /** Clicks voxel `index` in a view with the click tool on; resolves with the voxel the click landed on, once the preview shows it. */
  async clickAt(view: ViewName, index: Index3): Promise<Index3> {
    const viewport = await this.viewer.viewport(view);
    const [sample] = await this.viewer.pixelsAt(view, [index]);
    const box = (await this.page.locator(`[data-testid="viewport-${view}"] canvas`).boundingBox())!;
    const before = await this.previewRevision();
    await this.page.mouse.click(box.x + sample!.cssX, box.y + sample!.cssY);
    await this.page.waitForFunction(
      (previous) => {
        const { document } = globalThis as unknown as PageGlobal;
        const bar = document.querySelector('[data-testid="preview"]');
        return document.querySelector('[data-testid="error"]') !== null || (bar !== null && bar.getAttribute('data-voxels') !== previous);
      },
      before,
      { timeout: timeoutMs },
    );
    await this.viewer.throwOnError();
    return voxelUnderCss(viewport, sample!.cssX, sample!.cssY).map(Math.round) as unknown as Index3;
  }

  /** The store's revision (the segment list's data-revision). */
  async storeRevision(): Promise<number> {
    return Number((await this.page.getByTestId('segments').getAttribute('data-revision')) || -1);
  }

  private async previewRevision(): Promise<string | null> {
    const bar = this.page.getByTestId('preview');
    return (await bar.count()) === 0 ? null : bar.getAttribute('data-voxels');
  }

  private async changing(action: () => Promise<unknown>): Promise<void> {
    const revision = await this.storeRevision();
    await action();
    await this.page.waitForFunction(
      (previous) => {
        const { document } = globalThis as unknown as PageGlobal;
        const panel = document.querySelector('[data-testid="segments"]');
        if (document.querySelector('[data-testid="error"]')) return true;
        const now = Number(panel?.getAttribute('data-revision') || -1);
        return now > previous && panel?.getAttribute('data-stats-revision') === String(now);
      },
      revision,
      { timeout: timeoutMs },
    );
    await this.viewer.throwOnError();
  }
}
