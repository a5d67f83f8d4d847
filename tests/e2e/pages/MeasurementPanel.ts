import type { Page } from 'playwright-core';
import type { Index3, PageGlobal, ViewName } from './pageShapes.js';
import { voxelUnderCss } from './viewGeometry.js';
import type { PanelHost } from './PanelHost.js';

const timeoutMs = 60_000;

export type MeasureTool = 'line' | 'angle' | 'ellipse' | 'freehand';

/** One row of the measurement list, with the full-precision values of its data attributes. */
export interface ShownMeasurement {
  readonly id: string;
  readonly name: string;
  readonly kind: MeasureTool;
  readonly lengthMm: number | null;
  readonly angleDeg: number | null;
  readonly areaMm2: number | null;
  readonly voxels: number | null;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/** A drawn measurement, and the continuous voxel indices the pointer was put on (what the test aimed at). */
export interface Drawn {
  readonly row: ShownMeasurement;
  readonly aimed: Index3[];
}

/**
 * The measuring tools and the measurement list. Every change resolves once
 * main has saved it (the list's data-saved-revision caught up with its
 * data-revision), so the sidecar on disk is the new one.
 */
export class MeasurementPanel {
  constructor(
    private readonly page: Page,
    private readonly viewer: PanelHost,
  ) {}

  async chooseTool(kind: MeasureTool | 'navigate'): Promise<void> {
    await this.page.getByTestId(`tool-${kind}`).click();
  }

  /** Drags a line from voxel `from` to voxel `to` in `view`. */
  async drawLine(view: ViewName, from: Index3, to: Index3): Promise<Drawn> {
    return this.drawing('line', view, [from, to]);
  }

  /** Drags the first arm from `a` to the vertex, then presses and releases at `c`. */
  async drawAngle(view: ViewName, a: Index3, vertex: Index3, c: Index3): Promise<Drawn> {
    return this.drawing('angle', view, [a, vertex, c]);
  }

  /** Drags an ellipse's box from corner `a` to corner `b`. */
  async drawEllipse(view: ViewName, a: Index3, b: Index3): Promise<Drawn> {
    return this.drawing('ellipse', view, [a, b]);
  }

  /** Drags a freehand outline through the voxels `outline` (closed on release). */
  async drawFreehand(view: ViewName, outline: readonly Index3[]): Promise<Drawn> {
    return this.drawing('freehand', view, outline);
  }

  async rows(): Promise<ShownMeasurement[]> {
    return this.page.getByTestId('measurement-row').evaluateAll((elements) =>
      elements.map((element) => {
        const e = element as unknown as { getAttribute(name: string): string | null };
        const num = (name: string): number | null => {
          const v = e.getAttribute(name);
          return v === null || v === '' ? null : Number(v);
        };
        return {
          id: e.getAttribute('data-id')!,
          name: e.getAttribute('data-name')!,
          kind: e.getAttribute('data-kind') as MeasureTool,
          lengthMm: num('data-length-mm'),
          angleDeg: num('data-angle-deg'),
          areaMm2: num('data-area-mm2'),
          voxels: num('data-voxels'),
          mean: num('data-mean'),
          sd: num('data-sd'),
          min: num('data-min'),
          max: num('data-max'),
        };
      }),
    );
  }

  /** Types a new name into row `index` and commits it with Enter. */
  async rename(index: number, name: string): Promise<void> {
    await this.viewer.withTab('measure', () =>
      this.changing(async () => {
        const field = this.page.getByTestId('measurement-row').nth(index).getByTestId('measurement-name');
        await field.fill(name);
        await field.press('Enter');
      }),
    );
  }

  async delete(index: number): Promise<void> {
    await this.viewer.withTab('measure', () =>
      this.changing(() => this.page.getByTestId('measurement-row').nth(index).getByTestId('delete-measurement').click()),
    );
  }

  /** Exports the list as CSV to `path` (the host answers the save dialog); resolves with the status line. */
  async exportCsv(path: string): Promise<string> {
    return this.viewer.withTab('measure', async () => {
      this.viewer.host.answerNextSave(path);
      await this.page.getByTestId('export-measurements').click();
      const status = this.page.getByTestId('status');
      await status
        .filter({ hasText: /^Saved .*\.csv/ })
        .or(this.page.getByTestId('error'))
        .first()
        .waitFor({ timeout: timeoutMs });
      await this.viewer.throwOnError();
      return (await status.textContent()) ?? '';
    });
  }

  /** The statistics line the list shows under measurement `id`, as the user reads it ("mean 41 ± 12 HU, …, 316 voxels"). */
  async statsLine(id: string): Promise<string> {
    return this.viewer.withTab('measure', () =>
      this.page.locator(`[data-testid="measurement-row"][data-id="${id}"] [data-testid="measurement-stats"]`).innerText({ timeout: timeoutMs }),
    );
  }

  /** The label `view`'s overlay draws beside measurement `id` ("Ellipse 1: 153.9 mm² (41 ± 12)"). */
  async label(view: ViewName, id: string): Promise<string> {
    return (await this.page.getByTestId(`measurements-${view}`).locator(`g[data-id="${id}"] text`).textContent({ timeout: timeoutMs })) ?? '';
  }

  /** The ids of the measurements `view`'s overlay shows now. */
  async shownIn(view: ViewName): Promise<string[]> {
    const shown = await this.page.getByTestId(`measurements-${view}`).getAttribute('data-shown');
    return shown ? shown.split(' ') : [];
  }

  /** Resolves once the list is saved and holds `count` measurements (e.g. after reopening a scan). */
  async waitForCount(count: number): Promise<void> {
    await this.page.waitForFunction(
      (expected) => {
        const panel = (globalThis as unknown as PageGlobal).document.querySelector('[data-testid="measurements"]');
        return panel?.getAttribute('data-count') === String(expected) && panel.getAttribute('data-saved-revision') === panel.getAttribute('data-revision');
      },
      count,
      { timeout: timeoutMs },
    );
  }

  /**
   * Draws with `kind` through CSS points of `view` (from its canvas's top-left
   * corner): a drag through them all (for an angle, the first two, then a
   * click at the third). For views whose plane is oblique, where voxels have
   * no fixed place on screen.
   */
  async drawAtCss(kind: MeasureTool, view: ViewName, points: readonly { x: number; y: number }[]): Promise<ShownMeasurement> {
    const box = (await this.page.locator(`[data-testid="viewport-${view}"] canvas`).boundingBox())!;
    const onPage = points.map((p) => ({ x: box.x + p.x, y: box.y + p.y }));
    await this.chooseTool(kind);
    await this.changing(async () => {
      if (kind !== 'angle') return this.drag(onPage);
      await this.drag(onPage.slice(0, 2));
      await this.drag([onPage[2]!, onPage[2]!]);
    });
    await this.chooseTool('navigate');
    const rows = await this.rows();
    return rows[rows.length - 1]!;
  }

  /** Aims at voxels in `view`, runs the gesture, and resolves with the new (last) row once main has saved it. */
  private async drawing(kind: MeasureTool, view: ViewName, voxels: readonly Index3[]): Promise<Drawn> {
    const viewport = await this.viewer.viewport(view);
    const samples = await this.viewer.pixelsAt(view, voxels);
    const row = await this.drawAtCss(
      kind,
      view,
      samples.map((s) => ({ x: s.cssX, y: s.cssY })),
    );
    return { row, aimed: samples.map((s) => voxelUnderCss(viewport, s.cssX, s.cssY) as unknown as Index3) };
  }

  /** Press at the first point, move through the others, release at the last. */
  private async drag(points: readonly { x: number; y: number }[]): Promise<void> {
    const mouse = this.page.mouse;
    await mouse.move(points[0]!.x, points[0]!.y);
    await mouse.down();
    for (const p of points.slice(1)) await mouse.move(p.x, p.y, { steps: 4 });
    await mouse.up();
  }

  private async changing(action: () => Promise<unknown>): Promise<void> {
    const panel = this.page.getByTestId('measurements');
    const revision = Number(await panel.getAttribute('data-revision'));
    await action();
    await this.page.waitForFunction(
      (previous) => {
        const { document } = globalThis as unknown as PageGlobal;
        if (document.querySelector('[data-testid="error"]')) return true;
        const p = document.querySelector('[data-testid="measurements"]');
        const now = Number(p?.getAttribute('data-revision'));
        return now > previous && p?.getAttribute('data-saved-revision') === String(now);
      },
      revision,
      { timeout: timeoutMs },
    );
    await this.viewer.throwOnError();
  }
}
