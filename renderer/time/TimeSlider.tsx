import type { TimePoints } from './useTimePoints.js';
import { formatTimeOffset } from './formatTimeOffset.js';
import './TimeSlider.css';

interface TimeSliderProps {
  readonly time: TimePoints;
  /** Seconds between time points, where the series says (VolumeHeader.repetitionTime). */
  readonly repetitionTime?: number | undefined;
}

/**
 * The time axis of a 4D series under the view bar: back, a slider, forward and "t 3/40" (1-based, as readers count),
 * with the time point's seconds from the first ("t 3/40 · 4.0 s") where the series gives its repetition time.
 */
export function TimeSlider({ time, repetitionTime }: TimeSliderProps) {
  if (time.timePoints <= 1) return null;
  const shown = time.timePoint + 1;
  const seconds = repetitionTime !== undefined && repetitionTime > 0 ? formatTimeOffset(time.timePoint, repetitionTime) : null;
  return (
    <div className="time-slider" role="group" aria-label="Time points" data-testid="time-slider" data-time-point={time.timePoint} data-loading={time.loading}>
      <button type="button" data-testid="time-previous" title="Previous time point (Ctrl+←)" aria-label="Previous time point" onClick={() => time.step(-1)}>
        ◀
      </button>
      <input
        type="range"
        data-testid="time-range"
        aria-label="Time point"
        aria-valuetext={`time point ${shown} of ${time.timePoints}${seconds ? `, ${seconds}` : ''}`}
        min={1}
        max={time.timePoints}
        step={1}
        value={shown}
        onChange={(e) => time.goTo(Number(e.currentTarget.value) - 1)}
      />
      <button type="button" data-testid="time-next" title="Next time point (Ctrl+→)" aria-label="Next time point" onClick={() => time.step(1)}>
        ▶
      </button>
      <output data-testid="time-readout" className="time-readout">
        t {shown}/{time.timePoints}
      </output>
      {seconds && (
        <span data-testid="time-seconds" className="time-seconds">
          · {seconds}
        </span>
      )}
    </div>
  );
}
