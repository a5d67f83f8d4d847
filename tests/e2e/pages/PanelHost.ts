import type { TestHost } from '../../host/startTestHost.js';
import type { Index3, PixelSample, SideTab, ViewName, ViewportSnapshot } from './pageShapes.js';

/** What a side-panel page object asks of the viewer page that owns it (ViewerPage implements it), so the panels need not import ViewerPage. */
export interface PanelHost {
  readonly host: TestHost;
  exportLabels(path: string): Promise<string>;
  redrawing(views: readonly ViewName[], action: () => Promise<unknown>, timeoutMs?: number): Promise<void>;
  viewport(view: ViewName): Promise<ViewportSnapshot>;
  pixelsAt(view: ViewName, indices: readonly Index3[]): Promise<PixelSample[]>;
  throwOnError(): Promise<void>;
  /** Brings the side panel's tab forward (its controls can then be clicked). */
  openTab(tab: SideTab): Promise<void>;
  /** Runs `action` with the tab in front, then brings back the tab that was in front. */
  withTab<T>(tab: SideTab, action: () => Promise<T>): Promise<T>;
}
