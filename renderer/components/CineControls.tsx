import type { RecordingState } from '../app/useCineRecording.js';
import type { Cine, CineMode } from '../state/useCine.js';

interface CineControlsProps {
  readonly cine: Cine;
  readonly recording: RecordingState;
  readonly onRecord: () => void;
}

/**
 * Cine: play/stop through the active view's slices (or a 4D series' time points) at a frame rate, and record
 * what it plays as WebM; a recording can be cancelled, and a movie whose save failed can be saved again.
 */
export function CineControls({ cine, recording, onRecord }: CineControlsProps) {
  const { active, unavailable, unsaved } = recording;
  return (
    <div className="group" role="group" aria-label="Cine">
      <button
        type="button"
        data-testid="cine-play"
        aria-pressed={cine.playing}
        disabled={active}
        title={active ? 'Cine waits while a recording runs' : 'Play / stop (c)'}
        onClick={cine.toggle}
      >
        {cine.playing ? 'Stop cine' : 'Play cine'}
      </button>
      {cine.timeAvailable && (
        <select
          aria-label="Cine plays"
          data-testid="cine-mode"
          title="Slices of the active view, or time points at this slice"
          value={cine.mode}
          disabled={active}
          onChange={(e) => cine.setMode(e.currentTarget.value as CineMode)}
        >
          <option value="slices">Slices</option>
          <option value="time">Time</option>
        </select>
      )}
      <label>
        <input
          type="number"
          data-testid="cine-fps"
          min={1}
          max={60}
          value={cine.fps}
          disabled={active}
          onChange={(e) => cine.setFps(Number(e.currentTarget.value))}
        />{' '}
        fps
      </label>
      <button
        type="button"
        data-testid="cine-record"
        disabled={active || unavailable !== null}
        title={unavailable ?? `Record what cine plays (${cine.mode === 'time' ? 'time points' : 'slices'}) at ${cine.fps} fps as a WebM movie`}
        onClick={onRecord}
      >
        {active ? 'Recording…' : 'Record WebM…'}
      </button>
      {active && (
        <button type="button" data-testid="cine-record-cancel" title="Stop recording; nothing is saved" onClick={recording.cancel}>
          Cancel
        </button>
      )}
      {unsaved && !active && (
        <>
          <button type="button" data-testid="cine-save-again" title="The last recording could not be saved: choose another place" onClick={recording.saveAgain}>
            Save movie again…
          </button>
          <button type="button" data-testid="cine-discard" title="Drop the unsaved recording" onClick={recording.discard}>
            Discard
          </button>
          {unsaved.failure && (
            <details data-testid="cine-save-details">
              <summary>Details</summary>
              {unsaved.failure}
            </details>
          )}
        </>
      )}
    </div>
  );
}
