import type { Page } from 'playwright-core';
import type { PageGlobal, ViewName } from './pageShapes.js';
import type { PanelHost } from './PanelHost.js';

const timeoutMs = 60_000;

/** The oblique MPR and slab controls (renderer/components/MprControls.tsx) and the Rotate tool's drag. */
export class MprPanel {
  constructor(
    private readonly page: Page,
    private readonly viewer: PanelHost,
  ) {}

  /** Makes `view` the active one (the controls act on it) through the toolbar's view choice. */
  async activate(view: ViewName): Promise<void> {
    await this.page.getByTestId('layout-view').selectOption(view);
    await this.page.locator(`[data-testid="mpr-controls"][data-view="${view}"]`).waitFor({ timeout: timeoutMs });
  }

  /**
   * Sets `view`'s slab; resolves once the view has drawn it with `samples`
   * samples across (1 for a plain plane).
   */
  async setSlab(view: ViewName, mode: 'mip' | 'minip' | 'mean', thicknessMm: number, samples: number): Promise<void> {
    await this.activate(view);
    await this.page.getByTestId('mpr-slab-mode').selectOption(mode);
    await this.page.getByTestId('mpr-slab-thickness').fill(String(thicknessMm));
    await this.page.waitForFunction(
      ([name, m, n]) => {
        const state = (globalThis as unknown as PageGlobal).__axialViewState?.viewports[name];
        return state !== undefined && state.slab.samples === n && (n === 1 || state.slab.mode === m);
      },
      [view, mode, samples] as const,
      { timeout: timeoutMs },
    );
  }

  /**
   * With the Rotate tool, drags in `view` along an arc about the crosshair
   * centre from its right (0°) to `degrees` clockwise, in `steps` moves;
   * resolves once every view has settled.
   */
  async dragRotate(view: ViewName, degrees: number, radius = 80, steps = 12): Promise<void> {
    await this.page.getByTestId('mpr-rotate-tool').click();
    const centre = await this.crosshairCentre(view);
    const box = (await this.page.locator(`[data-testid="viewport-${view}"] canvas`).boundingBox())!;
    const at = (deg: number) => ({
      x: box.x + centre.x + radius * Math.cos((deg * Math.PI) / 180),
      y: box.y + centre.y + radius * Math.sin((deg * Math.PI) / 180),
    });
    await this.page.mouse.move(at(0).x, at(0).y);
    await this.page.mouse.down();
    for (let n = 1; n <= steps; n++) await this.page.mouse.move(at((degrees * n) / steps).x, at((degrees * n) / steps).y);
    await this.page.mouse.up();
    await this.page.getByTestId('tool-navigate').click();
    await this.settled();
  }

  /** Turns `view`'s crosshair by typed degrees (clockwise) with the Turn button; resolves once every view has settled. */
  async turn(view: ViewName, degrees: number): Promise<void> {
    await this.activate(view);
    await this.page.getByTestId('mpr-turn-angle').fill(String(degrees));
    await this.page.getByTestId('mpr-turn').click();
    await this.settled();
  }

  /** Back to the standard planes (the button); resolves once every view shows its standard plane. */
  /** Resets the planes and waits until nothing is turned (Reset planes disabled): the standard planes, or a tilted scan's resampled slice. */
  async reset(): Promise<void> {
    await this.page.getByTestId('mpr-reset').click();
    await this.page.waitForSelector('[data-testid="mpr-reset"]:disabled', { timeout: timeoutMs });
    await this.settled();
  }

  /** The crosshair's centre in `view`, CSS px from the canvas's corner: the middle of its lines (drawn symmetric about it). */
  async crosshairCentre(view: ViewName): Promise<{ x: number; y: number }> {
    const line = this.page.getByTestId(`crosshair-${view}-a`);
    const [x1, y1, x2, y2] = await Promise.all(['x1', 'y1', 'x2', 'y2'].map(async (a) => Number(await line.getAttribute(a))));
    return { x: (x1! + x2!) / 2, y: (y1! + y2!) / 2 };
  }

  /** The angle (degrees, clockwise from screen right, in (−90, 90]) of the line `view` draws for `plane`. */
  async lineAngle(view: ViewName, plane: ViewName): Promise<number> {
    const line = this.page.locator(`[data-testid^="crosshair-${view}-"][data-plane="${plane}"]`);
    const [x1, y1, x2, y2] = await Promise.all(['x1', 'y1', 'x2', 'y2'].map(async (a) => Number(await line.getAttribute(a))));
    let angle = (Math.atan2(y2! - y1!, x2! - x1!) * 180) / Math.PI;
    if (angle <= -90) angle += 180;
    if (angle > 90) angle -= 180;
    return angle;
  }

  /** Waits until no view's data-rendered counter has moved for 5 animation frames (the last input's draws are done). */
  async settled(): Promise<void> {
    await this.page.evaluate(() => ((globalThis as unknown as { __e2eSettle?: unknown }).__e2eSettle = undefined));
    await this.page.waitForFunction(
      () => {
        const g = globalThis as unknown as PageGlobal & { __e2eSettle?: { key: string; frames: number } };
        const key = ['axial', 'coronal', 'sagittal']
          .map((v) => g.document.querySelector(`[data-testid="viewport-${v}"]`)?.getAttribute('data-rendered') ?? '')
          .join();
        const last = g.__e2eSettle;
        g.__e2eSettle = { key, frames: last?.key === key ? last.frames + 1 : 0 };
        return g.__e2eSettle.frames >= 5;
      },
      undefined,
      { polling: 'raf', timeout: timeoutMs },
    );
    await this.viewer.throwOnError();
  }
}
