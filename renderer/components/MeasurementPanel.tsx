import { useEffect, useState } from 'react';
import type { Measurement } from '../../core/contract.js';
import { headlineOf, statsLineOf } from '../measurements/formatMeasurement.js';
import { kindName } from '../measurements/measurementState.js';
import type { RoiScope } from '../measurements/roiScopeOf.js';

interface MeasurementPanelProps {
  readonly items: readonly Measurement[];
  readonly selected: string | null;
  readonly units: string | null;
  /** The volume's value range: the ROI statistics' decimals follow it. */
  readonly range: readonly [number, number];
  /** What an ROI's statistics count against what its view shows (said under a slab or on a turned plane). */
  readonly scopeOf: (m: Measurement) => RoiScope;
  /** The list's revision, and the last one main has saved (equal once the sidecar is written). */
  readonly revision: number;
  readonly savedRevision: number;
  readonly onSelect: (id: string) => void;
  readonly onRename: (id: string, name: string) => void;
  readonly onDelete: (id: string) => void;
  readonly onExport: () => void;
}

/** The list of measurements (the tools are in the palette, app/ToolPalette): name (editable), kind, value, ROI statistics; delete; export CSV. */
export function MeasurementPanel(props: MeasurementPanelProps) {
  const { items, selected, units, range, scopeOf } = props;
  return (
    <section
      className="panel measurement-panel"
      data-testid="measurements"
      data-count={items.length}
      data-revision={props.revision}
      data-saved-revision={props.savedRevision}
    >
      <h2>Measurements</h2>
      {items.length === 0 ? (
        <p className="muted">Choose Line, Angle, Ellipse or Freehand above and draw on any view.</p>
      ) : (
        <table className="measurement-list">
          <tbody>
            {items.map((m, n) => (
              <tr
                key={m.id}
                data-testid="measurement-row"
                data-index={n}
                data-id={m.id}
                data-kind={m.kind}
                data-name={m.name}
                data-length-mm={m.values.lengthMm ?? ''}
                data-angle-deg={m.values.angleDeg ?? ''}
                data-area-mm2={m.values.areaMm2 ?? ''}
                data-voxels={m.values.stats?.voxels ?? ''}
                data-mean={m.values.stats?.mean ?? ''}
                data-sd={m.values.stats?.sd ?? ''}
                data-min={m.values.stats?.min ?? ''}
                data-max={m.values.stats?.max ?? ''}
                className={m.id === selected ? 'active' : undefined}
                onClick={() => props.onSelect(m.id)}
              >
                <td>
                  <NameField id={m.id} name={m.name} onRename={props.onRename} />
                  <div className="muted">
                    {kindName(m.kind)} · {m.view}
                  </div>
                </td>
                <td className="measurement-value">
                  <div>{headlineOf(m)}</div>
                  {m.values.stats && (
                    <div className="muted" data-testid="measurement-stats">
                      {statsLineOf(m, { units, range, scope: scopeOf(m) })}
                    </div>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    data-testid="delete-measurement"
                    aria-label={`Delete ${m.name}`}
                    title="Delete (Del)"
                    onClick={(e) => {
                      e.stopPropagation();
                      props.onDelete(m.id);
                    }}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row">
        <button type="button" data-testid="export-measurements" disabled={items.length === 0} onClick={props.onExport}>
          Export CSV…
        </button>
      </div>
    </section>
  );
}

/** A name that is edited in place: committed on Enter or leaving the field, Escape puts the old one back. */
function NameField({ id, name, onRename }: { id: string; name: string; onRename: (id: string, name: string) => void }) {
  const [text, setText] = useState(name);
  useEffect(() => setText(name), [name]);
  const commit = (): void => {
    if (text.trim() && text !== name) onRename(id, text);
    else setText(name);
  };
  return (
    <input
      className="measurement-name"
      data-testid="measurement-name"
      aria-label="Measurement name"
      maxLength={64}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        else if (e.key === 'Escape') setText(name);
      }}
    />
  );
}
