import { useState, type Dispatch } from 'react';
import { isIdentityRotation } from '../geometry/rotateAbout.js';
import type { ViewName } from '../geometry/types.js';
import { maxSlabMm, type MprState } from '../state/mprState.js';
import type { EditTool, ViewerAction } from '../state/viewerState.js';
import type { SlabMode } from '../reslice/reslicePlane.js';

interface MprControlsProps {
  readonly mpr: MprState;
  readonly activeView: ViewName;
  readonly tool: EditTool;
  readonly dispatch: Dispatch<ViewerAction>;
}

const modes: readonly [SlabMode, string, string][] = [
  ['mip', 'MIP', 'Maximum intensity projection'],
  ['minip', 'MinIP', 'Minimum intensity projection'],
  ['mean', 'Mean', 'Mean of the slab (average intensity projection)'],
];

/**
 * Oblique MPR and thick slabs for the active view, as one row of the view
 * bar: the slab's projection and thickness (0 mm: a plain plane), the Rotate
 * tool (left drag turns the crosshair about its centre), a turn by a typed
 * angle, and a reset to the three standard planes.
 */
export function MprControls({ mpr, activeView, tool, dispatch }: MprControlsProps) {
  const [angle, setAngle] = useState(15);
  const slab = mpr.slabs[activeView];
  const rotating = tool.kind === 'rotate';
  const turned = !isIdentityRotation(mpr.rotation);
  return (
    <div className="group mpr-controls" role="group" aria-label={`Planes and slab (${activeView})`} data-testid="mpr-controls" data-view={activeView}>
      <label className="compact" title={`Slab of the ${activeView} view`}>
        Slab
        <select
          aria-label="Slab projection"
          data-testid="mpr-slab-mode"
          value={slab.mode}
          onChange={(e) => dispatch({ type: 'mprSlab', view: activeView, slab: { mode: e.currentTarget.value as SlabMode } })}
        >
          {modes.map(([mode, label, title]) => (
            <option key={mode} value={mode} title={title}>
              {label}
            </option>
          ))}
        </select>
        <input
          type="number"
          aria-label="Slab thickness, mm"
          data-testid="mpr-slab-thickness"
          min={0}
          max={maxSlabMm}
          step={1}
          value={slab.thicknessMm}
          title="Slab thickness in mm (0: the plane alone): the nearest odd number of slices, centred on the plane; the view's title gives what they cover"
          onChange={(e) => dispatch({ type: 'mprSlab', view: activeView, slab: { thicknessMm: Number(e.currentTarget.value) } })}
        />
        mm
      </label>
      <button
        type="button"
        data-testid="mpr-rotate-tool"
        aria-pressed={rotating}
        title="Rotate (T): drag in a view to turn its crosshair; the other views follow"
        onClick={() => dispatch({ type: 'tool', tool: { kind: rotating ? 'navigate' : 'rotate' } })}
      >
        Rotate
      </button>
      <input
        type="number"
        aria-label="Turn angle, degrees"
        data-testid="mpr-turn-angle"
        step={1}
        value={angle}
        title="Degrees, clockwise on screen"
        onChange={(e) => setAngle(Number(e.currentTarget.value))}
      />
      <button
        type="button"
        data-testid="mpr-turn"
        title="Turn the active view's crosshair by this angle (degrees)"
        onClick={() => Number.isFinite(angle) && dispatch({ type: 'mprRotate', view: activeView, angle: (angle * Math.PI) / 180 })}
      >
        Turn°
      </button>
      <button
        type="button"
        data-testid="mpr-reset"
        disabled={!turned}
        title="Back to the standard planes (Shift+R)"
        onClick={() => dispatch({ type: 'mprReset' })}
      >
        Reset planes
      </button>
    </div>
  );
}
