import type { ViewerState } from '../state/viewerState.js';

/**
 * The element of the view the keys act on (the active 2D view, or the 3D view when it is the active one), for giving
 * it focus; null before a volume shows.
 */
export function activeViewElement(state: Pick<ViewerState, 'activeView' | 'active3d'>): HTMLElement | null {
  const view = state.active3d ? '3d' : state.activeView;
  return document.querySelector<HTMLElement>(`[data-testid="viewport-${view}"]`) ?? document.querySelector<HTMLElement>('[data-testid^="viewport-"][tabindex]');
}
