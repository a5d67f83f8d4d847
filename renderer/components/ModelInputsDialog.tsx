import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ModelInputs } from '../../core/contract.js';
import { useModalKeys } from './useModalKeys.js';
import { seriesRowFacts } from './seriesRowFacts.js';

interface ModelInputsDialogProps {
  readonly inputs: ModelInputs;
  /** The series shown, marked in the lists. */
  readonly shownSeries: number | null;
  readonly onRun: (inputs: { channel: string; seriesIndex: number }[]) => void;
  readonly onClose: () => void;
}

/**
 * Asks which series of the open scan is each input image of a model that takes several (e.g. T1c, T1, T2 and
 * FLAIR), pre-chosen where a series description matches; Run stays off until every channel has one. The result
 * lands on the first channel's grid, so that series is the one to show. Modal: Esc cancels, Tab cycles.
 */
export function ModelInputsDialog({ inputs, shownSeries, onRun, onClose }: ModelInputsDialogProps) {
  const box = useRef<HTMLDivElement>(null);
  const [chosen, setChosen] = useState<(number | null)[]>(() => inputs.channels.map((c) => c.seriesIndex));
  useModalKeys(box, onClose);
  useEffect(() => box.current?.querySelector<HTMLSelectElement>('select')?.focus(), []);
  const complete = chosen.every((index) => index !== null);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (complete) onRun(inputs.channels.map((c, n) => ({ channel: c.name, seriesIndex: chosen[n]! })));
  };
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}>
      <div ref={box} className="dialog model-inputs" role="dialog" aria-modal="true" aria-labelledby="model-inputs-title" data-testid="model-inputs-dialog">
        <h2 id="model-inputs-title">{inputs.modelName}: choose its images</h2>
        <p className="hint">This model reads {inputs.channels.length} images of the same patient. Choose the series for each.</p>
        <form onSubmit={submit}>
          {inputs.channels.map((channel, n) => (
            <div className="setting" key={channel.name}>
              <label htmlFor={`model-input-${n}`}>{channel.name}</label>
              <select
                id={`model-input-${n}`}
                data-testid={`model-input-${n}`}
                value={chosen[n] === null ? '' : String(chosen[n])}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setChosen((list) => list.map((v, m) => (m === n ? (value === '' ? null : Number(value)) : v)));
                }}
              >
                <option value="">Choose a series…</option>
                {inputs.series.map((s) => {
                  const row = seriesRowFacts(s);
                  return (
                    <option key={s.index} value={s.index}>
                      {row.title} · {row.facts.join(' · ')}
                      {s.index === shownSeries ? ' (shown)' : ''}
                    </option>
                  );
                })}
              </select>
            </div>
          ))}
          <p className="hint">The result is drawn on the grid of {inputs.channels[0]?.name}; the others are resampled onto it where their grids differ.</p>
          <div className="dialog-buttons">
            <button type="submit" className="primary" data-testid="model-inputs-run" disabled={!complete}>
              Run
            </button>
            <button type="button" data-testid="model-inputs-cancel" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
