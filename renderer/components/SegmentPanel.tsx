import type { Dispatch } from 'react';
import type { LoadedMask } from '../state/loadedData.js';
import type { SegmentView, ViewerAction } from '../state/viewerState.js';

interface SegmentPanelProps {
  readonly mask: LoadedMask | null;
  readonly segments: Readonly<Record<number, SegmentView>>;
  readonly opacity: number;
  readonly outline: boolean;
  readonly dispatch: Dispatch<ViewerAction>;
}

/** Opacity, outline, and the segment list: name, colour, visibility, lock, voxel count and volume. */
export function SegmentPanel({ mask, segments, opacity, outline, dispatch }: SegmentPanelProps) {
  return (
    <section className="panel" data-testid="segments">
      <h2>Labels{mask ? `: ${mask.header.name}` : ''}</h2>
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
      {!mask && <p className="hint">No labels yet: run a model or open a label map.</p>}
      {mask && (
        <table className="segment-list" data-testid="segment-list">
          <thead>
            <tr>
              <th>Show</th>
              <th>Colour</th>
              <th>Segment</th>
              <th>Voxels</th>
              <th>mL</th>
              <th>Lock</th>
            </tr>
          </thead>
          <tbody>
            {mask.header.segments.map((s) => {
              const view = segments[s.value];
              if (!view) return null;
              return (
                <tr key={s.value} data-testid={`segment-${s.value}`} data-visible={view.visible} data-locked={view.locked}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Show ${s.name}`}
                      data-testid={`segment-visible-${s.value}`}
                      checked={view.visible}
                      disabled={view.locked}
                      onChange={(e) => dispatch({ type: 'segmentVisible', value: s.value, visible: e.currentTarget.checked })}
                    />
                  </td>
                  <td>
                    <input
                      type="color"
                      aria-label={`Colour of ${s.name}`}
                      data-testid={`segment-colour-${s.value}`}
                      value={toHex(view.colour)}
                      disabled={view.locked}
                      onChange={(e) => dispatch({ type: 'segmentColour', value: s.value, colour: fromHex(e.currentTarget.value) })}
                    />
                  </td>
                  <td>{s.name}</td>
                  <td className="number">{s.voxels.toLocaleString('en-US')}</td>
                  <td className="number">{s.volumeMl.toFixed(1)}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Lock ${s.name}`}
                      data-testid={`segment-lock-${s.value}`}
                      checked={view.locked}
                      onChange={(e) => dispatch({ type: 'segmentLocked', value: s.value, locked: e.currentTarget.checked })}
                    />
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

function toHex(colour: readonly [number, number, number]): string {
  return `#${colour.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

function fromHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
