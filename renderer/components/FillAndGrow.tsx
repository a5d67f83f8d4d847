import { useEffect, useMemo, useRef, useState } from 'react';
import type { Axis, Vec3 } from '../../core/geometry/types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { RegionRule } from '../../core/segmentation/regionFromClick.js';
import { voxelCount } from '../display/voxelCount.js';
import type { ClickTool } from '../segmentation/MaskPreview.js';
import { proposeFill } from '../segmentation/proposeFill.js';
import { proposeRegion, type RegionOutcome } from '../segmentation/proposeRegion.js';
import type { SegmentationStore } from '../segmentation/types.js';
import { usePreviewState } from '../segmentation/usePreviewState.js';
import { GrowFromSeeds } from './GrowFromSeeds.js';

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
export function FillAndGrow({ store, segment, planeAxis, units, onError }: FillAndGrowProps) {
  const [filling, setFilling] = useState(false);
  const [fillNote, setFillNote] = useState('');
  /** The store the user turned region-from-a-click on for: another segmentation finds it off. */
  const [regionFor, setRegionFor] = useState<SegmentationStore | null>(null);
  const regionOn = regionFor === store;
  const regionSeen = useRef(false);
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
    regionSeen.current = false;
    store.preview.setClickTool(tool);
    return () => {
      if (store.preview.getState().clickTool === tool) store.preview.setClickTool(null);
      setSeed(null);
    };
  }, [regionOn, store, tool]);
  // Another click tool taken up (click to segment) ends this one, so the button never shows it on while it is not.
  const clickTool = preview?.clickTool ?? null;
  useEffect(() => {
    if (!regionOn) return;
    if (clickTool === tool) regionSeen.current = true;
    else if (regionSeen.current || clickTool !== null) setRegionFor(null);
  }, [regionOn, clickTool, tool]);

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
          onClick={() => setRegionFor(regionOn ? null : store)}
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

function formatValue(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}
