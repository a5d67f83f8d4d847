import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AppSettings } from '../../core/contract.js';
import { threadChoices } from '../display/threadChoices.js';
import type { SettingsDialogState } from '../state/settingsDialog.js';
import { useModalKeys } from './useModalKeys.js';

interface SettingsDialogProps {
  readonly dialog: SettingsDialogState;
  readonly onSave: (settings: AppSettings) => void;
  readonly onClose: () => void;
  /** The machine's processor cores (navigator.hardwareConcurrency): Automatic's count and the most threads offered. */
  readonly cores: number;
}

/**
 * The app's settings as a modal dialog: decoding threads, which values
 * Philips MR files give, and where measurements are kept. Save hands them to main; Cancel or Esc closes
 * without saving. Focus starts on the first control and stays inside (Tab
 * and Shift+Tab cycle), as in the Save / Discard dialog.
 */
export function SettingsDialog({ dialog, onSave, onClose, cores }: SettingsDialogProps) {
  const box = useRef<HTMLDivElement>(null);
  useModalKeys(box, onClose);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}>
      <div ref={box} className="dialog settings" role="dialog" aria-modal="true" aria-labelledby="settings-title" data-testid="settings-dialog">
        <h2 id="settings-title">Settings</h2>
        {dialog.settings ? (
          <SettingsForm settings={dialog.settings} saving={dialog.saving} onSave={onSave} onClose={onClose} cores={cores} />
        ) : (
          <>
            <p className="hint">Reading the settings…</p>
            <div className="dialog-buttons">
              <button type="button" data-testid="settings-cancel" onClick={onClose}>
                Cancel
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function SettingsForm(props: { readonly settings: AppSettings; readonly saving: boolean } & Omit<SettingsDialogProps, 'dialog'>) {
  const { settings, saving, onSave, onClose, cores } = props;
  const [threads, setThreads] = useState<number | null>(settings.decodeThreads);
  const [scaling, setScaling] = useState<AppSettings['philipsScaling']>(settings.philipsScaling);
  const [beside, setBeside] = useState(settings.measurementsBesideStudy);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onSave({ decodeThreads: threads, philipsScaling: scaling, measurementsBesideStudy: beside });
  };
  return (
    <form onSubmit={submit}>
      <div className="setting">
        <label htmlFor="settings-threads">Decoding threads</label>
        <select
          id="settings-threads"
          ref={first}
          data-testid="settings-threads"
          aria-describedby="settings-threads-hint"
          value={threads === null ? 'auto' : String(threads)}
          onChange={(e) => setThreads(e.currentTarget.value === 'auto' ? null : Number(e.currentTarget.value))}
        >
          <option value="auto">Automatic (one per core: {cores})</option>
          {threadChoices(cores, settings.decodeThreads).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <p className="hint" id="settings-threads-hint">
          How many files are decoded at once. More threads load compressed series (JPEG 2000, JPEG-LS, JPEG) faster.
        </p>
      </div>
      <fieldset className="setting" aria-describedby="settings-philips-hint">
        <legend>Philips MR values</legend>
        <label>
          <input
            type="radio"
            name="philips-scaling"
            value="precise"
            data-testid="settings-philips-precise"
            checked={scaling === 'precise'}
            onChange={() => setScaling('precise')}
          />
          Precise (floating point, as dcm2niix)
        </label>
        <label>
          <input
            type="radio"
            name="philips-scaling"
            value="display"
            data-testid="settings-philips-display"
            checked={scaling === 'display'}
            onChange={() => setScaling('display')}
          />
          Display (scanner’s displayed values)
        </label>
        <p className="hint" id="settings-philips-hint">
          Precise is the default: the values dcm2niix writes, with Philips’ private scale slope applied. Display applies only the rescale slope.
        </p>
      </fieldset>
      <div className="setting">
        <label>
          <input
            type="checkbox"
            data-testid="settings-measurements-beside"
            aria-describedby="settings-measurements-hint"
            checked={beside}
            onChange={(e) => setBeside(e.currentTarget.checked)}
          />
          Save measurements beside the study
        </label>
        <p className="hint" id="settings-measurements-hint">
          Off (the default): your measurements are kept in your own Axial data, per study and series. On: in the study’s folder, where others opening it see
          them (when the folder can be written).
        </p>
      </div>
      <p className="hint">Changes apply from the next series you open.</p>
      <div className="dialog-buttons">
        <button type="submit" className="primary" data-testid="settings-save" disabled={saving}>
          Save
        </button>
        <button type="button" data-testid="settings-cancel" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
