import type { Dispatch } from 'react';
import type { SegmentDef, SegmentInfo } from '../../core/contract.js';
import type { SegmentationCommand } from '../segmentation/types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { ViewerAction } from '../state/viewerState.js';
import { formatMl, formatStat, formatVoxels, statDecimals } from '../app/formatSegmentStats.js';
import { segmentKeyOf } from '../../core/labels/segmentKey.js';

interface SegmentRowProps {
  readonly segment: SegmentDef;
  readonly stat: SegmentInfo | undefined;
  readonly visible: boolean;
  readonly active: boolean;
  /** The details row (voxels, SD, min, max) shows below. */
  readonly expanded: boolean;
  readonly units: string | null;
  readonly range: readonly [number, number];
  readonly dispatch: Dispatch<ViewerAction>;
  readonly onEdit: (command: SegmentationCommand) => void;
  readonly onToggle: () => void;
}

/** The details line: voxels, SD, min and max, rounded as the table rounds; null before main has counted. */
export function segmentDetails(stat: SegmentInfo | undefined, units: string | null, range: readonly [number, number]): string | null {
  if (!stat) return null;
  const d = statDecimals(range);
  const unit = units ? ` ${units}` : '';
  const value = (v: number | null): string => (v === null ? '—' : `${formatStat(v, d)}${unit}`);
  return `${formatVoxels(stat.voxels)} voxels · SD ${value(stat.sd)} · min ${value(stat.min)} · max ${value(stat.max)}`;
}

/** One segment of the list, and its details row when opened. Full-precision figures ride on data attributes. */
export function SegmentRow(props: SegmentRowProps) {
  const { segment: s, stat, active, dispatch, onEdit } = props;
  const key = segmentKeyOf(s);
  const segment: SegmentKey = { layer: s.layer, value: s.value };
  const d = statDecimals(props.range);
  const details = segmentDetails(stat, props.units, props.range);
  const made = s.algorithmName ? `${s.algorithmType.toLowerCase()} (${s.algorithmName})` : s.algorithmType.toLowerCase();
  return (
    <>
      <tr
        data-testid={`segment-${key}`}
        data-segment={key}
        data-visible={props.visible}
        data-locked={s.locked}
        data-active={active}
        data-voxels={stat?.voxels ?? ''}
        data-ml={stat?.volumeMl ?? ''}
        data-mean={stat?.mean ?? ''}
        data-sd={stat?.sd ?? ''}
        data-min={stat?.min ?? ''}
        data-max={stat?.max ?? ''}
        title={details ? `${s.name}: ${details}` : undefined}
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
            checked={props.visible}
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
            title={`${s.name} · ${made}`}
            onBlur={(e) => rename(onEdit, segment, s.name, e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
          />
        </td>
        <td className="number" data-stat="ml">
          {stat ? formatMl(stat.volumeMl) : '—'}
        </td>
        <td className="number" data-stat="mean">
          {stat?.mean === null || stat?.mean === undefined ? '—' : formatStat(stat.mean, d)}
        </td>
        <td>
          <button
            type="button"
            className="more"
            aria-label={`Details of ${s.name}`}
            aria-expanded={props.expanded}
            data-testid={`segment-more-${key}`}
            onClick={props.onToggle}
          >
            {props.expanded ? '▾' : '▸'}
          </button>
        </td>
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
            className="delete"
            aria-label={`Delete ${s.name}`}
            title={s.locked ? 'Unlock to delete' : 'Delete'}
            data-testid={`segment-delete-${key}`}
            disabled={s.locked}
            onClick={() => onEdit({ type: 'deleteSegment', segment })}
          >
            ×
          </button>
        </td>
      </tr>
      {props.expanded && (
        <tr className="segment-details" data-testid={`segment-details-${key}`}>
          <td colSpan={9}>
            {details ?? 'Counting…'} · {made}
          </td>
        </tr>
      )}
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
