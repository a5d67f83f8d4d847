import type { Layout } from './viewerState.js';

/** The sessionStorage key of the chosen layout. */
export const layoutKey = 'axial.layout';

const layouts: readonly Layout[] = ['four', 'three', 'one'];

/** What the layout memory needs of a Storage (sessionStorage in the app, a Map-backed one in tests). */
export interface LayoutStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The layout chosen earlier in this session, or null when none was (or the
 * stored text is not a layout, or storage is refused, as it is for a page
 * opened from a file in some browsers).
 */
export function recallLayout(storage: LayoutStorage | null): Layout | null {
  try {
    const stored = storage?.getItem(layoutKey) ?? null;
    return layouts.find((layout) => layout === stored) ?? null;
  } catch {
    return null;
  }
}

/** Keeps `layout` for the rest of the session; a refused or full storage only loses the memory. */
export function rememberLayout(storage: LayoutStorage | null, layout: Layout): void {
  try {
    storage?.setItem(layoutKey, layout);
  } catch {
    // Nothing to lose but the memory of the choice.
  }
}

/** The window's sessionStorage, or null where reading it throws (storage disabled). */
export function sessionLayoutStorage(): LayoutStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}
