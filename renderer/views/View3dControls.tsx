import { nearestWorldAxes } from '../geometry/nearestWorldAxes.js';
import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import { clampClipRange, fullClipRange, isFullRange, type ClipRange } from '../volume3d/clipRange.js';
import { standardViews, type StandardView } from '../volume3d/orbitCamera.js';
import { volumePresets, type VolumePresetId } from '../volume3d/volumePresets.js';

interface View3dControlsProps {
  readonly dimensions: Vec3;
  readonly direction: Mat3;
  readonly preset: VolumePresetId;
  readonly clip: ClipRange;
  readonly showLabels: boolean;
  readonly hasLabels: boolean;
  readonly onPreset: (preset: VolumePresetId) => void;
  readonly onView: (view: StandardView) => void;
  readonly onClip: (clip: ClipRange) => void;
  readonly onShowLabels: (show: boolean) => void;
  /**
   * How much opens from a More button, for a title bar too narrow for one
   * line (useFoldedTitleBar): 0 nothing, 1 the labels switch and clip box,
   * 2 the look-from buttons too.
   */
  readonly fold: number;
  /** The last frame's detail line, shown in the More panel when folded (the title bar shows it otherwise). */
  readonly frameDetail: string | null;
}

const viewLetters: Record<StandardView, { letter: string; title: string }> = {
  anterior: { letter: 'A', title: 'From the front' },
  posterior: { letter: 'P', title: 'From behind' },
  left: { letter: 'L', title: "From the patient's left" },
  right: { letter: 'R', title: "From the patient's right" },
  superior: { letter: 'S', title: 'From above' },
  inferior: { letter: 'I', title: 'From the feet' },
};

/** World axis ends, low → high in LPS: x R→L, y A→P, z I→S. */
const axisEnds = [
  ['R', 'L'],
  ['A', 'P'],
  ['I', 'S'],
] as const;

/**
 * The 3D view's controls: transfer-function preset, standard views, labels
 * on/off, and the clip box (two sliders per index axis). Folded, the last of
 * them open from a More button, so a narrow pane keeps a one-line title bar
 * and the picture its height.
 */
export function View3dControls(props: View3dControlsProps) {
  const views = <ViewButtons onView={props.onView} />;
  const more = (
    <>
      <LabelsSwitch {...props} />
      <ClipBox {...props} />
    </>
  );
  return (
    <div className="view3d-controls">
      <PresetSelect {...props} />
      {props.fold < 2 && views}
      {props.fold === 0 ? (
        more
      ) : (
        <details className="view3d-more" data-testid="view3d-more">
          <summary title="More 3D controls">More</summary>
          <div className="view3d-more-panel">
            {props.fold >= 2 && views}
            {more}
            {props.frameDetail && <p className="view3d-more-detail">{props.frameDetail}</p>}
          </div>
        </details>
      )}
    </div>
  );
}

function PresetSelect(props: Pick<View3dControlsProps, 'preset' | 'onPreset'>) {
  return (
    <select aria-label="3D preset" data-testid="view3d-preset" value={props.preset} onChange={(e) => props.onPreset(e.currentTarget.value as VolumePresetId)}>
      {volumePresets.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}

function ViewButtons(props: Pick<View3dControlsProps, 'onView'>) {
  return (
    <span className="view3d-views" role="group" aria-label="Look from">
      {standardViews.map((view) => (
        <button key={view} type="button" data-testid={`view3d-from-${view}`} title={viewLetters[view].title} onClick={() => props.onView(view)}>
          {viewLetters[view].letter}
        </button>
      ))}
    </span>
  );
}

function LabelsSwitch(props: Pick<View3dControlsProps, 'showLabels' | 'hasLabels' | 'onShowLabels'>) {
  return (
    <label title={props.hasLabels ? 'Show the label map as coloured volumes' : 'No label map is open'}>
      <input
        type="checkbox"
        data-testid="view3d-labels"
        checked={props.showLabels}
        disabled={!props.hasLabels}
        onChange={(e) => props.onShowLabels(e.currentTarget.checked)}
      />
      Labels
    </label>
  );
}

function ClipBox(props: Pick<View3dControlsProps, 'dimensions' | 'direction' | 'clip' | 'onClip'>) {
  const { dimensions, clip } = props;
  const clipped = !isFullRange(clip, dimensions);
  const nearest = nearestWorldAxes(props.direction);
  const setEnd = (axis: 0 | 1 | 2, end: 'first' | 'last', value: number): void => {
    const next = { first: [...clip.first], last: [...clip.last] };
    next[end][axis] = value;
    props.onClip(clampClipRange({ first: next.first as unknown as Vec3, last: next.last as unknown as Vec3 }, dimensions, { axis, end }));
  };
  return (
    <details className="view3d-clip" data-testid="view3d-clip">
      {/* The same word on or off, only its colour changes: a wider summary wrapped the title bar in the 2×2 pane, shrinking the picture. */}
      <summary className={clipped ? 'on' : undefined} title={clipped ? 'Clip box on: part of the volume is cut away' : 'Clip box: the whole volume'}>
        Clip
      </summary>
      <div className="view3d-clip-panel">
        {([0, 1, 2] as const).map((axis) => {
          const world = nearest.worldAxisOf[axis];
          const [low, high] = nearest.sign[axis] > 0 ? axisEnds[world] : [axisEnds[world][1], axisEnds[world][0]];
          return (
            <div key={axis} className="view3d-clip-axis">
              <span title={`index axis ${'ijk'[axis]}, ${low} → ${high}`}>
                {low}→{high}
              </span>
              {(['first', 'last'] as const).map((end) => (
                <input
                  key={end}
                  type="range"
                  min={0}
                  max={dimensions[axis] - 1}
                  step={1}
                  value={clip[end][axis]}
                  data-testid={`view3d-clip-${axis}-${end}`}
                  aria-label={`Clip ${low}→${high} ${end === 'first' ? 'from' : 'to'}`}
                  onChange={(e) => setEnd(axis, end, Number(e.currentTarget.value))}
                />
              ))}
              <output>
                {clip.first[axis]}–{clip.last[axis]}
              </output>
            </div>
          );
        })}
        <button type="button" data-testid="view3d-clip-reset" onClick={() => props.onClip(fullClipRange(dimensions))}>
          Whole volume
        </button>
      </div>
    </details>
  );
}
