import { useMemo, type Dispatch } from 'react';
import type { ViewerActions } from '../actions/useViewerActions.js';
import type { ViewName } from '../geometry/types.js';
import type { HoverStore } from '../state/hoverStore.js';
import type { ViewerAction } from '../state/viewerState.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import type { ViewportCallbacks } from '../views/ViewportProps.js';

interface Params {
  readonly dispatch: Dispatch<ViewerAction>;
  readonly hover: HoverStore;
  /** The views' renderers by view, for the actions that read a view (cine, PNG export). */
  readonly renderers: Map<ViewName, SliceRenderer>;
  readonly onPaint: ViewerActions['paint'];
}

/** What every view reports, into the viewer state, the hover store and the renderer map: one object while its inputs stay. */
export function useViewportCallbacks({ dispatch, hover, renderers, onPaint }: Params): ViewportCallbacks {
  return useMemo(
    () => ({
      onCursor: (index) => dispatch({ type: 'cursor', index }),
      onVoi: (voi) => dispatch({ type: 'voi', voi }),
      onActivate: (view) => dispatch({ type: 'activeView', view }),
      onHover: (view, index) => hover.set(index ? { view, index } : null),
      onRenderer: (view, renderer) => {
        if (renderer) renderers.set(view, renderer);
        else renderers.delete(view);
      },
      onPaint,
    }),
    [dispatch, hover, renderers, onPaint],
  );
}
