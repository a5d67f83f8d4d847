import { useState, type Dispatch } from 'react';
import type { SegmentInfo } from '../../core/contract.js';
import type { SegmentationCommand } from '../segmentation/types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import { type SegmentationSession, type SegmentView, type ViewerAction } from '../state/viewerState.js';
import { segmentKeyOf } from '../../core/labels/segmentKey.js';
import { SegmentRow } from './SegmentRow.js';

interface SegmentPanelProps {
  readonly session: SegmentationSession | null;
  readonly segments: Readonly<Record<string, SegmentView>>;
  readonly activeSegment: SegmentKey | null;
  readonly opacity: number;
  readonly outline: boolean;
  /** Unit of the scan's values, for the statistics' heading. */
  readonly units: string | null;
  /** The scan's value range: the statistics are rounded to about a thousandth of it. */
  readonly range: readonly [number, number];
  readonly dispatch: Dispatch<ViewerAction>;
  readonly onEdit: (command: SegmentationCommand) => void;
  readonly onAdd: () => void;
}

/**
 * Opacity, outline, and the segment list: pick the segment to paint, show or
 * hide, recolour, rename, lock, delete; each segment's mL and mean in the
 * row, its voxels, SD, min and max on hover and in a row opened by its ▸
 * button (main's figures for the latest edit). The columns fit the side
 * panel, so Lock and Delete are always in sight.
 */
export function SegmentPanel(props: SegmentPanelProps) {
  const { session, segments, activeSegment, opacity, outline, dispatch, onEdit } = props;
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const stats = new Map<string, SegmentInfo>((session?.stats ?? []).map((s) => [segmentKeyOf(s), s]));
  const rows = session?.snapshot.segments ?? [];
  // A 4D series: the figures are of one time point (the one shown, once main has answered), and say which.
  const statsTimePoint = session?.statsTimePoint;
  const toggle = (key: string): void =>
    setOpen((was) => {
      const next = new Set(was);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  return (
    <section
      className="panel"
      data-testid="segments"
      data-revision={session?.snapshot.revision ?? ''}
      data-stats-revision={session?.statsRevision ?? ''}
      data-stats-time-point={statsTimePoint ?? ''}
    >
      <h2 className="segments-title">{session ? session.name : 'Segments'}</h2>
      <div className="row">
        <label className="compact">
          Opacity
          <input
            type="range"
            data-testid="opacity"
            min={0}
            max={1}
            step={0.05}
            value={opacity}
            onChange={(e) => dispatch({ type: 'opacity', opacity: Number(e.currentTarget.value) })}
          />
          <output>{Math.round(opacity * 100)} %</output>
        </label>
        <label className="compact">
          <input type="checkbox" data-testid="outline" checked={outline} onChange={(e) => dispatch({ type: 'outline', outline: e.currentTarget.checked })} />
          Outline
        </label>
        <button type="button" data-testid="add-segment" onClick={props.onAdd}>
          Add segment
        </button>
      </div>
      {rows.length === 0 && <p className="hint">No segments yet: run a model, open labels or a DICOM SEG, or add a segment and paint.</p>}
      {rows.length > 0 && statsTimePoint !== undefined && (
        <p className="hint" data-testid="stats-time-point">
          Statistics of time point {statsTimePoint + 1}
        </p>
      )}
      {rows.length > 0 && (
        <table className="segment-list" data-testid="segment-list">
          <colgroup>
            <col className="c-paint" />
            <col className="c-show" />
            <col className="c-colour" />
            <col className="c-name" />
            <col className="c-ml" />
            <col className="c-mean" />
            <col className="c-more" />
            <col className="c-lock" />
            <col className="c-delete" />
          </colgroup>
          <thead>
            <tr>
              <th title="Segment to paint">Paint</th>
              <th>Show</th>
              <th title="Colour">
                <span className="sr-only">Colour</span>
              </th>
              <th>Segment</th>
              <th className="number">mL</th>
              <th className="number" title={`Mean inside the segment${props.units ? `, ${props.units}` : ''}`}>
                Mean
              </th>
              <th title="Voxels, SD, min and max">
                <span className="sr-only">Details</span>
              </th>
              <th title="Locked segments are not painted over or deleted">Lock</th>
              <th title="Delete">
                <span className="sr-only">Delete</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const key = segmentKeyOf(s);
              return (
                <SegmentRow
                  key={key}
                  segment={s}
                  stat={stats.get(key)}
                  visible={segments[key]?.visible ?? true}
                  active={activeSegment !== null && segmentKeyOf(activeSegment) === key}
                  expanded={open.has(key)}
                  units={props.units}
                  range={props.range}
                  dispatch={dispatch}
                  onEdit={onEdit}
                  onToggle={() => toggle(key)}
                />
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
