import type { Dispatch } from 'react';
import type { SegmentInfo } from '../../core/contract.js';
import { formatValue } from '../display/describeVoxel.js';
import type { SegmentationCommand } from '../segmentation/types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import { type SegmentationSession, type SegmentView, type ViewerAction } from '../state/viewerState.js';
import { segmentKeyOf } from '../../core/labels/segmentKey.js';

interface SegmentPanelProps {
  readonly session: SegmentationSession | null;
  readonly segments: Readonly<Record<string, SegmentView>>;
  readonly activeSegment: SegmentKey | null;
  readonly opacity: number;
  readonly outline: boolean;
  /** Unit of the scan's values, for the statistics' heading. */
  readonly units: string | null;
  readonly dispatch: Dispatch<ViewerAction>;
  readonly onEdit: (command: SegmentationCommand) => void;
  readonly onAdd: () => void;
}

/**
 * Opacity, outline, and the segment list: pick the segment to paint, show or
 * hide, recolour, rename, lock, delete; and each segment's voxels, mL and the
 * scan's mean, SD, min and max inside it (main's figures for the latest edit).
 */
export function SegmentPanel(props: SegmentPanelProps) {
  const { session, segments, activeSegment, opacity, outline, dispatch, onEdit } = props;
  const stats = new Map((session?.stats ?? []).map((s) => [segmentKeyOf(s), s]));
  const rows = session?.snapshot.segments ?? [];
  return (
    <section className="panel" data-testid="segments" data-revision={session?.snapshot.revision ?? ''} data-stats-revision={session?.statsRevision ?? ''}>
      <h2>Segments{session ? `: ${session.name}` : ''}</h2>
      <label className="row">
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
      <label className="row">
        <input type="checkbox" data-testid="outline" checked={outline} onChange={(e) => dispatch({ type: 'outline', outline: e.currentTarget.checked })} />
        Outline
      </label>
      <button type="button" data-testid="add-segment" onClick={props.onAdd}>
        Add segment
      </button>
      {rows.length === 0 && <p className="hint">No segments yet: run a model, open labels or a DICOM SEG, or add a segment and paint.</p>}
      {rows.length > 0 && (
        <table className="segment-list" data-testid="segment-list">
          <thead>
            <tr>
              <th title="Segment to paint">Paint</th>
              <th>Show</th>
              <th>Colour</th>
              <th>Segment</th>
              <th>Voxels</th>
              <th>mL</th>
              <th>Mean{props.units ? ` (${props.units})` : ''}</th>
              <th>SD</th>
              <th>Min</th>
              <th>Max</th>
              <th>Lock</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const key = segmentKeyOf(s);
              const stat = stats.get(key);
              const active = activeSegment !== null && segmentKeyOf(activeSegment) === key;
              const segment = { layer: s.layer, value: s.value };
              return (
                <tr
                  key={key}
                  data-testid={`segment-${key}`}
                  data-visible={segments[key]?.visible ?? true}
                  data-locked={s.locked}
                  data-active={active}
                  className={active ? 'active' : undefined}
                >
                  <td>
                    <input
                      type="radio"
                      name="active-segment"
                      aria-label={`Paint ${s.name}`}
                      data-testid={`segment-active-${key}`}
                      checked={active}
                      onChange={() => dispatch({ type: 'activeSegment', segment })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Show ${s.name}`}
                      data-testid={`segment-visible-${key}`}
                      checked={segments[key]?.visible ?? true}
                      onChange={(e) => dispatch({ type: 'segmentVisible', key, visible: e.currentTarget.checked })}
                    />
                  </td>
                  <td>
                    <input
                      type="color"
                      aria-label={`Colour of ${s.name}`}
                      data-testid={`segment-colour-${key}`}
                      value={toHex(s.colour)}
                      onChange={(e) => onEdit({ type: 'recolourSegment', segment, colour: fromHex(e.currentTarget.value) })}
                    />
                  </td>
                  <td>
                    <input
                      className="segment-name"
                      aria-label={`Name of ${s.name}`}
                      data-testid={`segment-name-${key}`}
                      defaultValue={s.name}
                      key={s.name}
                      maxLength={64}
                      title={s.algorithmName ? `${s.algorithmType.toLowerCase()} (${s.algorithmName})` : s.algorithmType.toLowerCase()}
                      onBlur={(e) => rename(onEdit, segment, s.name, e.currentTarget.value)}
                      onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
                    />
                  </td>
                  <StatCells stat={stat} />
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Lock ${s.name}`}
                      data-testid={`segment-lock-${key}`}
                      checked={s.locked}
                      onChange={(e) => onEdit({ type: 'lockSegment', segment, locked: e.currentTarget.checked })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Delete ${s.name}`}
                      data-testid={`segment-delete-${key}`}
                      disabled={s.locked}
                      onClick={() => onEdit({ type: 'deleteSegment', segment })}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function StatCells({ stat }: { readonly stat: SegmentInfo | undefined }) {
  const cell = (name: string, value: number | null | undefined, text: (v: number) => string) => (
    <td className="number" data-stat={name} data-value={value ?? ''}>
      {value === null || value === undefined ? '—' : text(value)}
    </td>
  );
  return (
    <>
      {cell('voxels', stat?.voxels, (v) => v.toLocaleString('en-US'))}
      {cell('ml', stat?.volumeMl, (v) => v.toFixed(2))}
      {cell('mean', stat?.mean, (v) => v.toFixed(1))}
      {cell('sd', stat?.sd, (v) => v.toFixed(1))}
      {cell('min', stat?.min, formatValue)}
      {cell('max', stat?.max, formatValue)}
    </>
  );
}

function rename(onEdit: (command: SegmentationCommand) => void, segment: SegmentKey, was: string, typed: string): void {
  const name = typed.trim();
  if (name && name !== was) onEdit({ type: 'renameSegment', segment, name });
}

function toHex(colour: readonly [number, number, number]): string {
  return `#${colour.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

function fromHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
