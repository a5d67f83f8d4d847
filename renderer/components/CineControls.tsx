import type { Cine } from '../state/useCine.js';

interface CineControlsProps {
  readonly cine: Cine;
  readonly recording: boolean;
  readonly onRecord: () => void;
}

/** Cine: play/stop through the active view's slices at a frame rate, and record the loop as WebM. */
export function CineControls({ cine, recording, onRecord }: CineControlsProps) {
  return (
    <div className="group" role="group" aria-label="Cine">
      <button type="button" data-testid="cine-play" aria-pressed={cine.playing} title="Play / stop (c)" onClick={cine.toggle}>
        {cine.playing ? 'Stop cine' : 'Play cine'}
      </button>
      <label>
        <input type="number" data-testid="cine-fps" min={1} max={60} value={cine.fps} onChange={(e) => cine.setFps(Number(e.currentTarget.value))} /> fps
      </label>
      <button type="button" data-testid="cine-record" disabled={recording} onClick={onRecord}>
        {recording ? 'Recording…' : 'Record WebM…'}
      </button>
    </div>
  );
}
