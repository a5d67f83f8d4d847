import type { TimePoints } from './useTimePoints.js';
import { formatTimeOffset } from './formatTimeOffset.js';
import './TimeSlider.css';

interface TimeSliderProps {
  readonly time: TimePoints;
  /** Each time point's seconds from the first, where the series dates them (VolumeHeader.timeOffsets). */
  readonly timeOffsets?: readonly number[] | undefined;
}

/**
 * The time axis of a 4D series under the view bar: back, a slider, forward and "t 3/40" (1-based, as readers count),
 * with the time point's own time from the first ("t 3/40 · 4.0 s") where the series dates its time points. The
 * readout and the time are one live region, so a screen reader says both as the time point changes.
 */
export function TimeSlider({ time, timeOffsets }: TimeSliderProps) {
  if (time.timePoints <= 1) return null;
  const shown = time.timePoint + 1;
  const seconds = timeOffsets?.length === time.timePoints ? formatTimeOffset(timeOffsets, time.timePoint) : null;
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
      <output className="time-now" aria-atomic="true">
        <span data-testid="time-readout" className="time-readout">
          t {shown}/{time.timePoints}
        </span>
        {/* A space for the words read out ("t 3/40 · 4.0 s"); between flex items it takes no room. */}
        {seconds && ' '}
        {seconds && (
          <span data-testid="time-seconds" className="time-seconds">
            · {seconds}
          </span>
        )}
      </output>
    </div>
  );
}
