import type { Cine, CineMode } from '../state/useCine.js';

interface CineControlsProps {
  readonly cine: Cine;
  readonly recording: boolean;
  readonly onRecord: () => void;
}

/** Cine: play/stop through the active view's slices (or a 4D series' time points) at a frame rate, and record the slice loop as WebM. */
export function CineControls({ cine, recording, onRecord }: CineControlsProps) {
  return (
    <div className="group" role="group" aria-label="Cine">
      <button type="button" data-testid="cine-play" aria-pressed={cine.playing} title="Play / stop (c)" onClick={cine.toggle}>
        {cine.playing ? 'Stop cine' : 'Play cine'}
      </button>
      {cine.timeAvailable && (
        <select
          aria-label="Cine plays"
          data-testid="cine-mode"
          title="Slices of the active view, or time points at this slice"
          value={cine.mode}
          onChange={(e) => cine.setMode(e.currentTarget.value as CineMode)}
        >
          <option value="slices">Slices</option>
          <option value="time">Time</option>
        </select>
      )}
      <label>
        <input type="number" data-testid="cine-fps" min={1} max={60} value={cine.fps} onChange={(e) => cine.setFps(Number(e.currentTarget.value))} /> fps
      </label>
      <button type="button" data-testid="cine-record" disabled={recording} onClick={onRecord}>
        {recording ? 'Recording…' : 'Record WebM…'}
      </button>
    </div>
  );
}
