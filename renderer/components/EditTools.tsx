import { plural } from '../display/plural.js';
import { useEffect, useMemo, useState, type Dispatch } from 'react';
import type { Vec3 } from '../../core/geometry/types.js';
import type { RegionRule } from '../../core/segmentation/regionFromClick.js';
import type { ClickTool } from '../segmentation/MaskPreview.js';
import { proposeFill } from '../segmentation/proposeFill.js';
import { GrowFromSeeds } from './GrowFromSeeds.js';
import { proposeRegion, type RegionOutcome } from '../segmentation/proposeRegion.js';
import { usePreviewState } from '../segmentation/usePreviewState.js';
import type { SegmentationStore } from '../segmentation/types.js';
import type { Axis } from '../../core/geometry/types.js';
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
      {session ? <PreviewBar store={session.store} /> : null}
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

/** The proposal waiting for Apply or Cancel: which tool made it and how many voxels it marks. */
function PreviewBar({ store }: { readonly store: SegmentationStore }) {
  const state = usePreviewState(store.preview);
  const proposal = state?.proposal;
  if (!state || !proposal) return null;
  const colour = state.colour ? `rgb(${state.colour.join(',')})` : undefined;
  return (
    <div className="preview-bar" data-testid="preview" data-voxels={state.voxels} data-tool={proposal.tool}>
      <span className="preview-swatch" style={{ background: colour }} aria-hidden="true" />
      <span>
        {proposal.tool}: {voxelCount(state.voxels)} to add
      </span>
      <button type="button" data-testid="preview-apply" onClick={() => store.preview.apply()}>
        Apply
      </button>
      <button type="button" data-testid="preview-cancel" onClick={() => store.preview.cancel()}>
        Cancel
      </button>
    </div>
  );
}

interface FillAndGrowProps {
  readonly store: SegmentationStore;
  readonly segment: SegmentKey | null;
  readonly planeAxis: Axis;
  readonly units: string | null;
  readonly onError: (message: string) => void;
}

type RegionMode = 'tolerance' | 'confidence';

const nothingToFill = 'Nothing to fill: draw the segment on two or more slices of this view, with undrawn slices between.';

/**
 * Fill between slices (the active view's slices) and region from a click
 * (a click tool with a tolerance slider); both propose a preview that
 * PreviewBar applies or cancels.
 */
function FillAndGrow({ store, segment, planeAxis, units, onError }: FillAndGrowProps) {
  const [filling, setFilling] = useState(false);
  const [fillNote, setFillNote] = useState('');
  const [regionOn, setRegionOn] = useState(false);
  const [mode, setMode] = useState<RegionMode>('tolerance');
  const [tolerance, setTolerance] = useState(40);
  const [multiplier, setMultiplier] = useState(2.5);
  const [seed, setSeed] = useState<Vec3 | null>(null);
  /** The region shown and the rule it was grown with ("tolerance:40", "confidence:2.5"). */
  const [region, setRegion] = useState<(RegionOutcome & { readonly rule: string }) | null>(null);
  const preview = usePreviewState(store.preview);
  const segmentId = segment ? `${segment.layer}:${segment.value}` : '';

  const fill = (): void => {
    if (!segment) return;
    setFilling(true);
    setFillNote('');
    proposeFill(store, segment, planeAxis)
      .then((outcome) => setFillNote(outcome.voxels > 0 ? '' : nothingToFill))
      .catch((error: Error) => onError(`Could not fill between slices: ${error.message}`))
      .finally(() => setFilling(false));
  };

  const tool = useMemo<ClickTool>(() => ({ name: 'Region from a click', onClick: (click) => setSeed(click.index) }), []);
  useEffect(() => {
    if (!regionOn) return;
    store.preview.setClickTool(tool);
    return () => {
      if (store.preview.getState().clickTool === tool) store.preview.setClickTool(null);
      setSeed(null);
    };
  }, [regionOn, store, tool]);

  // Every change of the click, the rule or the segment grows the region again and updates the preview.
  useEffect(() => {
    if (!seed || !segment) return;
    const rule: RegionRule = mode === 'tolerance' ? { kind: 'tolerance', tolerance } : { kind: 'confidence', multiplier };
    try {
      const value = rule.kind === 'tolerance' ? rule.tolerance : multiplier;
      setRegion({ ...proposeRegion(store, segment, seed, rule), rule: `${mode}:${value}` });
    } catch (error) {
      onError(`Could not grow a region: ${(error as Error).message}`);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the segment is followed by its key; onError is new every render.
  }, [seed, mode, tolerance, multiplier, segmentId, store]);

  // Applied or cancelled: the next click starts a new region.
  const proposed = preview?.proposal !== null && preview?.proposal !== undefined;
  useEffect(() => {
    if (proposed) return;
    setSeed(null);
    // A click on a locked voxel proposes nothing: keep saying why.
    setRegion((shown) => (shown?.voxels === 0 ? shown : null));
  }, [proposed]);

  return (
    <div className="fill-and-grow" data-testid="fill-and-grow">
      <h2>Fill and grow</h2>
      <div className="row">
        <button
          type="button"
          data-testid="fill-between-slices"
          data-busy={filling}
          disabled={!segment || filling}
          title="Fill the slices between those drawn in the active view"
          onClick={fill}
        >
          {filling ? 'Filling…' : 'Fill between slices'}
        </button>
      </div>
      {fillNote ? (
        <p className="hint" data-testid="fill-note">
          {fillNote}
        </p>
      ) : null}
      <div className="row">
        <button
          type="button"
          data-testid="tool-region"
          aria-pressed={regionOn}
          disabled={!segment || !store.scanValue}
          title="Click a voxel in a view: the connected voxels of similar value are proposed"
          onClick={() => setRegionOn(!regionOn)}
        >
          Region from a click
        </button>
      </div>
      {regionOn ? (
        <>
          <div className="row" role="radiogroup" aria-label="Region rule">
            <button type="button" data-testid="region-mode-tolerance" aria-pressed={mode === 'tolerance'} onClick={() => setMode('tolerance')}>
              Clicked value ±
            </button>
            <button type="button" data-testid="region-mode-confidence" aria-pressed={mode === 'confidence'} onClick={() => setMode('confidence')}>
              Confidence
            </button>
          </div>
          <label className="row">
            {mode === 'tolerance' ? 'Tolerance' : 'Spread'}
            <input
              type="range"
              data-testid="region-tolerance"
              min={mode === 'tolerance' ? 1 : 0.5}
              max={mode === 'tolerance' ? 300 : 5}
              step={mode === 'tolerance' ? 1 : 0.1}
              value={mode === 'tolerance' ? tolerance : multiplier}
              onChange={(e) => (mode === 'tolerance' ? setTolerance : setMultiplier)(Number(e.currentTarget.value))}
            />
            <span data-testid="region-tolerance-value">{mode === 'tolerance' ? `${tolerance} ${units ?? ''}` : `${multiplier.toFixed(1)} SD`}</span>
          </label>
          <p className="hint" data-testid="region-note" data-voxels={region?.voxels ?? 0} data-rule={region?.rule ?? ''}>
            {region ? regionText(region, units) : 'Click inside the structure in a view.'}
          </p>
        </>
      ) : null}
      <GrowFromSeeds store={store} segment={segment} onError={onError} />
    </div>
  );
}

/** "12,345 voxels from 32 to 88 HU", and why it stopped growing when it hit the limit. */
function regionText(region: RegionOutcome, units: string | null): string {
  if (region.voxels === 0) return 'That voxel belongs to a locked segment.';
  const range = `from ${formatValue(region.min)} to ${formatValue(region.max)}${units ? ` ${units}` : ''}`;
  return `${voxelCount(region.voxels)} ${range}${region.truncated ? ' (stopped at the size limit: lower the tolerance)' : ''}`;
}

/** "1 voxel", "12,345 voxels". */
function voxelCount(count: number): string {
  return plural(count, 'voxel').replace(String(count), count.toLocaleString('en-US'));
}

function formatValue(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function clamp(v: number, min: number, max: number): number {
  return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : min;
}
