import type { Page } from 'playwright-core';
import type { PageElement } from './pageShapes.js';
import type { ViewerPage } from './ViewerPage.js';

const defaultTimeoutMs = 60_000;

/** Chromium's software WebGL2 (SwiftShader): recent headless Chromium falls back to it only with this flag. */
export const swiftShaderArgs: readonly string[] = ['--enable-unsafe-swiftshader'];

/** What the 3D view publishes on its element after each frame. */
export interface View3dState {
  readonly rendered: number;
  readonly quality: 'full' | 'reduced';
  readonly frameMs: number;
  /** The canvas's size in its own pixels. */
  readonly canvas: { readonly width: number; readonly height: number };
  /** The CSS size of the view's stage. */
  readonly css: { readonly width: number; readonly height: number };
  readonly glRenderer: string;
  /** [column, row] = screenFromIndex · [i, j, k, 1], canvas pixels from the top-left corner. */
  readonly screenFromIndex: readonly (readonly number[])[];
}

/** The 3D view's pixels as last drawn: RGBA, top row first. */
export interface View3dImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** `window.__axialView3d` (renderer/testAid/view3dTestAid.ts), as far as the tests use it. */
interface PageView3d {
  readonly glRenderer: string;
  readonly textureFormat: 'r32f' | 'r16f' | null;
  readImage(): { width: number; height: number; rgbaBase64: string };
  timeFrame(quality: 'full' | 'reduced', turnDegrees: number): number;
  timeReadPixels(): number;
}

interface Page3dGlobal {
  readonly __axialView3d?: PageView3d;
  readonly document: {
    querySelector(
      selector: string,
    ): (PageElement & { readonly clientWidth: number; readonly clientHeight: number; readonly dataset: Record<string, string | undefined> }) | null;
  };
}

/**
 * The 3D view as a user drives it: layout, presets, the look-from buttons,
 * the clip box, the labels switch, mouse drags and PNG export. Every action
 * that redraws waits for the view's data-rendered counter to move on (and,
 * unless said otherwise, for a full-quality frame), never for a fixed time.
 */
export class View3dPage {
  constructor(
    readonly page: Page,
    readonly viewer: ViewerPage,
  ) {}

  /**
   * Shows the 3D view ('four': 2×2 beside the three views, the default layout; 'one': alone) and waits for
   * a full frame: the next one after the click, or, when 2×2 already showed it, the settled one.
   */
  async show(layout: 'four' | 'one' = 'four'): Promise<View3dState> {
    const shown = (await this.page.getByTestId('viewport-3d').count()) > 0;
    const before = shown ? (await this.state()).rendered : 0;
    let state: View3dState;
    if (layout === 'four' && shown && (await this.page.getByTestId('layout-four').getAttribute('aria-pressed')) === 'true') {
      state = await this.page
        .waitForFunction(
          () => Number((globalThis as unknown as Page3dGlobal).document.querySelector('[data-testid="viewport-3d"]')?.dataset['rendered'] ?? 0) > 0,
          null,
          {
            timeout: defaultTimeoutMs,
          },
        )
        .then(() => this.settled());
    } else {
      if (layout === 'four') await this.page.getByTestId('layout-four').click();
      else {
        await this.page.getByTestId('layout-view').selectOption('3d');
        await this.page.getByTestId('layout-one').click();
      }
      state = await this.waitForFrame(before);
    }
    // The stage may settle its size after the first frame (the toolbar and title reflow); the next frame follows it.
    while (state.canvas.width !== state.css.width || state.canvas.height !== state.css.height) state = await this.waitForFrame(state.rendered);
    return state;
  }

  /** The view's last published frame. */
  async state(): Promise<View3dState> {
    return this.page.evaluate(() => {
      const element = (globalThis as unknown as Page3dGlobal).document.querySelector('[data-testid="viewport-3d"]');
      if (!element) throw new Error('the 3D view is not shown');
      const d = element.dataset;
      const [width, height] = (d['canvas'] ?? '0x0').split('x').map(Number);
      return {
        rendered: Number(d['rendered'] ?? 0),
        quality: (d['quality'] ?? 'full') as 'full' | 'reduced',
        frameMs: Number(d['frameMs'] ?? NaN),
        canvas: { width: width!, height: height! },
        css: { width: element.clientWidth, height: element.clientHeight },
        glRenderer: d['glRenderer'] ?? '',
        screenFromIndex: JSON.parse(d['screenFromIndex'] ?? '[]') as number[][],
      };
    });
  }

  /** Waits for a frame after `afterCounter` of the given quality ('any': either); throws on the view's or the viewer's error. */
  async waitForFrame(afterCounter: number, quality: 'full' | 'reduced' | 'any' = 'full', timeoutMs = defaultTimeoutMs): Promise<View3dState> {
    const handle = await this.page.waitForFunction(
      ([after, wanted]) => {
        const g = globalThis as unknown as Page3dGlobal;
        const unavailable = g.document.querySelector('[data-testid="view3d-unavailable"]');
        if (unavailable || g.document.querySelector('[data-testid="error"]')) return 'error';
        const d = g.document.querySelector('[data-testid="viewport-3d"]')?.dataset;
        return d && Number(d['rendered'] ?? 0) > after && (wanted === 'any' || d['quality'] === wanted) ? 'drawn' : false;
      },
      [afterCounter, quality] as const,
      { timeout: timeoutMs },
    );
    if ((await handle.jsonValue()) === 'error') {
      const unavailable = this.page.getByTestId('view3d-unavailable');
      if (await unavailable.count()) throw new Error(`the 3D view says: ${await unavailable.innerText()}`);
      await this.viewer.throwOnError();
    }
    return this.state();
  }

  /** Waits until the picture is final: a full-quality frame with nothing drawing, queued or waiting for the user to pause (data-settled). */
  async settled(timeoutMs = defaultTimeoutMs): Promise<View3dState> {
    await this.page.waitForFunction(
      () => {
        const d = (globalThis as unknown as Page3dGlobal).document.querySelector('[data-testid="viewport-3d"]')?.dataset;
        return d?.['settled'] === 'true' && d['quality'] === 'full';
      },
      null,
      { timeout: timeoutMs },
    );
    return this.state();
  }

  /** Runs `action`, then waits for the next full-quality frame. */
  async redrawing(action: () => Promise<unknown>): Promise<View3dState> {
    const before = (await this.state()).rendered;
    await action();
    return this.waitForFrame(before);
  }

  /** Clicks a look-from button (anterior, posterior, left, right, superior, inferior). */
  async lookFrom(view: string): Promise<View3dState> {
    return this.redrawing(() => this.page.getByTestId(`view3d-from-${view}`).click());
  }

  /** Chooses a transfer-function preset (bone, soft-tissue, cta, window). */
  async setPreset(id: string): Promise<View3dState> {
    if ((await this.page.getByTestId('view3d-preset').inputValue()) === id) return this.state();
    return this.redrawing(() => this.page.getByTestId('view3d-preset').selectOption(id));
  }

  async setLabels(on: boolean): Promise<View3dState> {
    if ((await this.page.getByTestId('view3d-labels').isChecked()) === on) return this.state();
    return this.redrawing(() => this.page.getByTestId('view3d-labels').setChecked(on));
  }

  /** Moves one clip slider (index axis, its first or last voxel). */
  async setClip(axis: 0 | 1 | 2, end: 'first' | 'last', value: number): Promise<View3dState> {
    await this.openClip();
    const slider = this.page.getByTestId(`view3d-clip-${axis}-${end}`);
    if (Number(await slider.inputValue()) === value) return this.state();
    return this.redrawing(() => slider.fill(String(value)));
  }

  /** Clip back to the whole volume. */
  async resetClip(): Promise<View3dState> {
    await this.openClip();
    return this.redrawing(() => this.page.getByTestId('view3d-clip-reset').click());
  }

  /** The pixels of the last frame. */
  async image(): Promise<View3dImage> {
    const image = await this.page.evaluate(() => {
      const aid = (globalThis as unknown as Page3dGlobal).__axialView3d;
      if (!aid) throw new Error('the 3D view has no test aid (is it drawing?)');
      return aid.readImage();
    });
    const bytes = Buffer.from(image.rgbaBase64, 'base64');
    return { width: image.width, height: image.height, rgba: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
  }

  /**
   * Drags with the left button across the view's middle in `steps` moves,
   * waiting after the first move for a reduced frame; resolves with the
   * state seen while dragging and the full frame after the button is let go.
   */
  async drag(dx: number, dy: number, steps = 8): Promise<{ during: View3dState; after: View3dState }> {
    const box = await this.page.getByTestId('viewport-3d').boundingBox();
    if (!box) throw new Error('the 3D view is not on screen');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const before = (await this.state()).rendered;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / steps, y + dy / steps);
    const during = await this.waitForFrame(before, 'reduced');
    for (let n = 2; n <= steps; n++) await this.page.mouse.move(x + (dx * n) / steps, y + (dy * n) / steps);
    const released = (await this.state()).rendered;
    await this.page.mouse.up();
    const after = await this.waitForFrame(released, 'full');
    return { during, after };
  }

  /** Turns the mouse wheel over the view, `notches` times (each ×1.1; negative zooms out), and waits for the full frame after. */
  async zoom(notches: number): Promise<View3dState> {
    const box = await this.page.getByTestId('viewport-3d').boundingBox();
    if (!box) throw new Error('the 3D view is not on screen');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    return this.redrawing(async () => {
      for (let n = 0; n < Math.abs(notches); n++) await this.page.mouse.wheel(0, notches > 0 ? -100 : 100);
    });
  }

  /** Makes the 3D view the active one and exports it as PNG to `path` (the host answers the save dialog); resolves with the status line. */
  async exportPng(path: string): Promise<string> {
    await this.page.getByTestId('layout-view').selectOption('3d');
    await this.page.getByTestId('export-format').selectOption('png');
    this.viewer.host.answerNextSave(path);
    await this.page.getByTestId('export-labels').click();
    const status = this.page.getByTestId('status');
    await status
      .filter({ hasText: /^Saved / })
      .or(this.page.getByTestId('error'))
      .first()
      .waitFor({ timeout: defaultTimeoutMs });
    await this.viewer.throwOnError();
    return (await status.textContent()) ?? '';
  }

  /** Times `count` frames turned 360°/count apart at `quality`, drawn and waited for in the page (ms each). */
  async timeFrames(quality: 'full' | 'reduced', count: number): Promise<number[]> {
    return this.page.evaluate(
      ([q, n]) => {
        const aid = (globalThis as unknown as Page3dGlobal).__axialView3d!;
        return Array.from({ length: n }, (_, k) => aid.timeFrame(q, (360 * k) / n));
      },
      [quality, count] as const,
    );
  }

  /** How the volume is stored on the GPU. */
  async textureFormat(): Promise<string | null> {
    return this.page.evaluate(() => (globalThis as unknown as Page3dGlobal).__axialView3d?.textureFormat ?? null);
  }

  /** Times `count` reads of the whole canvas (RGBA) in the page (ms each). */
  async timeReadPixels(count: number): Promise<number[]> {
    return this.page.evaluate((n) => Array.from({ length: n }, () => (globalThis as unknown as Page3dGlobal).__axialView3d!.timeReadPixels()), count);
  }

  private async openClip(): Promise<void> {
    const details = this.page.getByTestId('view3d-clip');
    if (!(await details.evaluate((d) => (d as unknown as { open: boolean }).open))) await details.locator('summary').click();
  }
}
