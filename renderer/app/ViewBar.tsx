import type { Dispatch } from 'react';
import { MprControls } from '../components/MprControls.js';
import { viewNames, type ViewName } from '../geometry/types.js';
import type { MprState } from '../state/mprState.js';
import type { EditTool, Layout, ViewerAction } from '../state/viewerState.js';
import { layoutChoices } from './layoutChoices.js';
import { OverlayToggle } from '../views/overlays/OverlayToggle.js';

interface ViewBarProps {
  readonly layout: Layout;
  readonly activeView: ViewName;
  /** The 3D view is the active tile: the View choice shows '3D'. */
  readonly active3d: boolean;
  readonly mpr: MprState;
  readonly tool: EditTool;
  readonly onLayout: (layout: Layout) => void;
  readonly onActiveView: (view: ViewName) => void;
  readonly onActive3d: () => void;
  readonly onReset: () => void;
  readonly dispatch: Dispatch<ViewerAction>;
}

/**
 * The strip above the views: the layout (2×2, 1×3, 1 view), the active view,
 * Reset, and the active view's planes and slab, where a reader looks for
 * them (beside the views they change, as Horos and OHIF put them).
 */
export function ViewBar(props: ViewBarProps) {
  return (
    <div className="view-bar" role="toolbar" aria-label="Views">
      <div className="group" role="group" aria-label="Layout">
        {layoutChoices.map((choice) => (
          <button
            key={choice.layout}
            type="button"
            data-testid={`layout-${choice.layout}`}
            aria-pressed={props.layout === choice.layout}
            title={choice.title}
            onClick={() => props.onLayout(choice.layout)}
          >
            {choice.name}
          </button>
        ))}
      </div>
      <div className="group">
        <select
          aria-label="Active view"
          data-testid="layout-view"
          title="The view that keys, cine, slab and Export PNG act on"
          value={props.active3d ? '3d' : props.activeView}
          onChange={(e) => (e.currentTarget.value === '3d' ? props.onActive3d() : props.onActiveView(e.currentTarget.value as ViewName))}
        >
          {viewNames.map((v) => (
            <option key={v} value={v}>
              {v[0]!.toUpperCase() + v.slice(1)}
            </option>
          ))}
          <option value="3d">3D</option>
        </select>
        <button type="button" data-testid="reset" title="Zoom, pan and window back to the start" onClick={props.onReset}>
          Reset
        </button>
        <OverlayToggle />
      </div>
      <MprControls mpr={props.mpr} activeView={props.activeView} tool={props.tool} dispatch={props.dispatch} />
    </div>
  );
}
