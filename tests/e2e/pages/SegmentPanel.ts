import type { Page } from 'playwright-core';
import { viewNames } from './pageShapes.js';
import type { PanelHost } from './PanelHost.js';

/**
 * The segments panel: the segment list (name, colour, visibility, lock,
 * statistics), the opacity slider and the outline switch. Segments of a
 * one-layer label map are named by their label value (layer 0).
 */
export class SegmentPanel {
  constructor(
    private readonly page: Page,
    private readonly viewer: PanelHost,
  ) {}

  /** The segment values listed, in order. */
  async values(): Promise<number[]> {
    const ids = await this.page
      .getByTestId('segment-list')
      .locator('tbody tr[data-segment]')
      .evaluateAll((rows) => rows.map((row) => (row as unknown as { getAttribute(n: string): string | null }).getAttribute('data-testid')));
    return ids.map((id) => Number(/^segment-0:(\d+)$/.exec(id!)?.[1]));
  }

  /** Every listed segment's key "layer:value", in order (a model's result appended to a map is in a layer of its own). */
  async keys(): Promise<string[]> {
    const ids = await this.page
      .getByTestId('segment-list')
      .locator('tbody tr[data-segment]')
      .evaluateAll((rows) => rows.map((row) => (row as unknown as { getAttribute(n: string): string | null }).getAttribute('data-testid')));
    return ids.map((id) => id!.replace(/^segment-/, ''));
  }

  /** The segment's colour as the list shows it (its colour input), 0–255 each. */
  async colour(value: number): Promise<[number, number, number]> {
    const hex = await this.page.getByTestId(`segment-colour-0:${value}`).inputValue();
    const n = Number.parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  /** The segment's name (its name field). */
  async name(value: number): Promise<string> {
    return this.page.getByTestId(`segment-name-0:${value}`).inputValue();
  }

  async isVisible(value: number): Promise<boolean> {
    return this.page.getByTestId(`segment-visible-0:${value}`).isChecked();
  }

  /** Ticks or clears the segment's Show box; resolves when every view has drawn the change. */
  async setVisible(value: number, visible: boolean): Promise<void> {
    await this.viewer.withTab('segments', () =>
      this.viewer.redrawing(viewNames, () => this.page.getByTestId(`segment-visible-0:${value}`).setChecked(visible)),
    );
  }

  /** The fill opacity, 0–1. */
  async opacity(): Promise<number> {
    return Number(await this.page.getByTestId('opacity').inputValue());
  }

  /** Moves the opacity slider; resolves when every view has drawn with it. */
  async setOpacity(opacity: number): Promise<void> {
    if ((await this.opacity()) === opacity) return;
    await this.viewer.withTab('segments', () => this.viewer.redrawing(viewNames, () => this.page.getByTestId('opacity').fill(String(opacity))));
  }
}
