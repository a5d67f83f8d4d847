import type { Page } from 'playwright-core';
import type { ExportFormat } from '../../../core/contract.js';
import type { Index3, PageGlobal, ViewName } from './pageShapes.js';
import { voxelUnderCss } from './viewGeometry.js';
import type { PanelHost } from './PanelHost.js';

const timeoutMs = 60_000;

/** Per-segment statistics as the segment list shows them (main's figures). */
export interface ShownStats {
  readonly voxels: number;
  readonly ml: number;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/**
 * The editing tools and the segment list's editing controls. Every change
 * resolves once main has it (the list's data-stats-revision caught up with
 * the store's data-revision), so the statistics shown are the new ones.
 */
export class EditPanel {
  constructor(
    private readonly page: Page,
    private readonly viewer: PanelHost,
  ) {}

  /** Adds a segment (creating a segmentation first when there is none); resolves with its key "layer:value". */
  async addSegment(): Promise<string> {
    const revision = await this.revision();
    await this.viewer.openTab('segments');
    await this.page.getByTestId('add-segment').click();
    await this.synced(revision);
    const id = await this.page.locator('tr[data-active="true"]').getAttribute('data-testid');
    return id!.replace('segment-', '');
  }

  async chooseTool(kind: 'navigate' | 'brush' | 'eraser'): Promise<void> {
    await this.page.getByTestId(`tool-${kind}`).click();
  }

  /** Sets the brush in the Edit tab (then back to the tab that was in front). */
  async setBrush(radiusMm: number, shape: 'disc' | 'sphere', threshold: readonly [number, number] | null = null): Promise<void> {
    await this.viewer.withTab('edit', async () => {
      await this.page.getByTestId('brush-radius').fill(String(radiusMm));
      await this.page.getByTestId(`brush-${shape}`).click();
      await this.page.getByTestId('threshold-on').setChecked(threshold !== null);
      if (threshold) {
        await this.page.getByTestId('threshold-min').fill(String(threshold[0]));
        await this.page.getByTestId('threshold-max').fill(String(threshold[1]));
      }
    });
  }

  /** Clicks the brush (or eraser) once on voxel `index`; resolves with the voxel it landed on, once main has the edit. */
  async dabAt(view: ViewName, index: Index3): Promise<Index3> {
    const viewport = await this.viewer.viewport(view);
    const [sample] = await this.viewer.pixelsAt(view, [index]);
    const box = (await this.page.locator(`[data-testid="viewport-${view}"] canvas`).boundingBox())!;
    const revision = await this.revision();
    await this.page.mouse.click(box.x + sample!.cssX, box.y + sample!.cssY);
    await this.synced(revision);
    return voxelUnderCss(viewport, sample!.cssX, sample!.cssY).map(Math.round) as unknown as Index3;
  }

  async undo(): Promise<void> {
    await this.viewer.withTab('edit', () => this.changing(() => this.page.getByTestId('undo').click()));
  }

  async redo(): Promise<void> {
    await this.viewer.withTab('edit', () => this.changing(() => this.page.getByTestId('redo').click()));
  }

  /** Presses a key combination on the page (e.g. Control+z); resolves once main has the change. */
  async shortcut(keys: string): Promise<void> {
    await this.changing(() => this.page.keyboard.press(keys));
  }

  async stats(key: string): Promise<ShownStats> {
    // The row carries main's full-precision figures (the table shows them rounded, SD/min/max on demand).
    const cell = async (name: string): Promise<number | null> => {
      const value = await this.page.getByTestId(`segment-${key}`).getAttribute(`data-${name}`);
      return value === '' || value === null ? null : Number(value);
    };
    return {
      voxels: (await cell('voxels')) ?? 0,
      ml: (await cell('ml')) ?? 0,
      mean: await cell('mean'),
      sd: await cell('sd'),
      min: await cell('min'),
      max: await cell('max'),
    };
  }

  /** Chooses an export format and exports to `path` (the host answers the save dialog); resolves with the status line. */
  async export(format: ExportFormat, path: string): Promise<string> {
    await this.page.getByTestId('export-format').selectOption(format);
    return this.viewer.exportLabels(path);
  }

  private async changing(action: () => Promise<unknown>): Promise<void> {
    const revision = await this.revision();
    await action();
    await this.synced(revision);
  }

  private async revision(): Promise<number> {
    return Number((await this.page.getByTestId('segments').getAttribute('data-revision')) || -1);
  }

  /** Waits until the store moved past `after` and main has caught up with it. */
  private async synced(after = -1): Promise<void> {
    await this.page.waitForFunction(
      (previous) => {
        const { document } = globalThis as unknown as PageGlobal;
        const panel = document.querySelector('[data-testid="segments"]');
        if (document.querySelector('[data-testid="error"]')) return true;
        const revision = Number(panel?.getAttribute('data-revision') || -1);
        return revision > previous && panel?.getAttribute('data-stats-revision') === String(revision);
      },
      after,
      { timeout: timeoutMs },
    );
    await this.viewer.throwOnError();
  }
}
