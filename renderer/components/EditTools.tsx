import { plural } from '../display/plural.js';
import { useState, type Dispatch } from 'react';
import type { Axis } from '../../core/geometry/types.js';
import { FillAndGrow } from './FillAndGrow.js';
import type { SegmentationCommand } from '../segmentation/types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { EditTool, SegmentationSession, ViewerAction } from '../state/viewerState.js';

interface EditToolsProps {
  readonly tool: EditTool;
  readonly session: SegmentationSession | null;
  readonly activeSegment: SegmentKey | null;
  /** The active view's slice axis, for per-slice hole filling. */
  readonly planeAxis: Axis;
  readonly units: string | null;
  readonly dispatch: Dispatch<ViewerAction>;
  readonly onEdit: (command: SegmentationCommand) => void;
}

/**
 * The brush and eraser's settings (size in mm, 2D disc or 3D sphere, value threshold), clean-ups, undo and redo;
 * the tools themselves are in the palette (app/ToolPalette).
 */
export function EditTools({ tool, session, activeSegment, planeAxis, units, dispatch, onEdit }: EditToolsProps) {
  const [minIsland, setMinIsland] = useState(100);
  const setTool = (change: Partial<EditTool>): void => dispatch({ type: 'tool', tool: change });
  const snapshot = session?.snapshot;
  const segment = activeSegment;
  const onError = (message: string): void => dispatch({ type: 'error', message });
  return (
    <section className="panel" data-testid="edit-tools">
      <h2>Brush and eraser</h2>
      <label className="row">
        Size
        <input
          type="number"
          data-testid="brush-radius"
          min={0.5}
          max={100}
          step={0.5}
          value={tool.radiusMm}
          onChange={(e) => setTool({ radiusMm: clamp(Number(e.currentTarget.value), 0.5, 100) })}
        />
        mm radius
      </label>
      <div className="row" role="radiogroup" aria-label="Brush shape">
        <button type="button" data-testid="brush-disc" aria-pressed={tool.shape === 'disc'} onClick={() => setTool({ shape: 'disc' })}>
          2D disc
        </button>
        <button type="button" data-testid="brush-sphere" aria-pressed={tool.shape === 'sphere'} onClick={() => setTool({ shape: 'sphere' })}>
          3D sphere
        </button>
      </div>
      <label className="row">
        <input
          type="checkbox"
          data-testid="threshold-on"
          checked={tool.threshold.on}
          onChange={(e) => setTool({ threshold: { ...tool.threshold, on: e.currentTarget.checked } })}
        />
        Only values from
        <input
          type="number"
          data-testid="threshold-min"
          value={tool.threshold.min}
          onChange={(e) => setTool({ threshold: { ...tool.threshold, min: Number(e.currentTarget.value) } })}
        />
        to
        <input
          type="number"
          data-testid="threshold-max"
          value={tool.threshold.max}
          onChange={(e) => setTool({ threshold: { ...tool.threshold, max: Number(e.currentTarget.value) } })}
        />
        {units ?? ''}
      </label>
      <div className="row">
        <button
          type="button"
          data-testid="fill-holes-2d"
          disabled={!segment}
          title="Fill holes slice by slice in the active view"
          onClick={() => segment && onEdit({ type: 'fillHoles', segment, planeAxis })}
        >
          Fill holes (slices)
        </button>
        <button type="button" data-testid="fill-holes-3d" disabled={!segment} onClick={() => segment && onEdit({ type: 'fillHoles', segment })}>
          Fill holes (3D)
        </button>
      </div>
      <div className="row">
        <button
          type="button"
          data-testid="remove-islands"
          disabled={!segment}
          onClick={() => segment && onEdit({ type: 'removeIslands', segment, minVoxels: minIsland })}
        >
          Remove islands under
        </button>
        <input
          type="number"
          aria-label="Smallest island kept, voxels"
          data-testid="island-size"
          min={1}
          value={minIsland}
          onChange={(e) => setMinIsland(Math.max(1, Math.round(Number(e.currentTarget.value))))}
        />
        voxels
      </div>
      <div className="row">
        <button type="button" data-testid="keep-largest" disabled={!segment} onClick={() => segment && onEdit({ type: 'keepLargest', segment })}>
          Keep largest part
        </button>
      </div>
      {session ? <FillAndGrow store={session.store} segment={segment} planeAxis={planeAxis} units={units} onError={onError} /> : null}
      <div className="row">
        <button type="button" data-testid="undo" disabled={!snapshot?.canUndo} title="Undo (Ctrl+Z)" onClick={() => onEdit({ type: 'undo' })}>
          Undo
        </button>
        <button type="button" data-testid="redo" disabled={!snapshot?.canRedo} title="Redo (Ctrl+Shift+Z or Ctrl+Y)" onClick={() => onEdit({ type: 'redo' })}>
          Redo
        </button>
        <span className="hint" data-testid="undo-depth">
          {snapshot ? plural(snapshot.undoDepth, 'step') : ''}
        </span>
      </div>
    </section>
  );
}

function clamp(v: number, min: number, max: number): number {
  return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : min;
}
