import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CineControls } from '../../../../renderer/components/CineControls.js';
import type { Cine } from '../../../../renderer/state/useCine.js';
import { TimeSlider } from '../../../../renderer/time/TimeSlider.js';
import type { TimePoints } from '../../../../renderer/time/useTimePoints.js';

const time = (timePoint: number, timePoints: number, loading = false): TimePoints => ({
  timePoint,
  timePoints,
  loading,
  goTo: () => undefined,
  step: () => undefined,
  advance: () => undefined,
});
const cine = (timeAvailable: boolean, mode: Cine['mode'] = 'slices'): Cine => ({
  playing: false,
  fps: 10,
  mode,
  timeAvailable,
  toggle: () => undefined,
  setFps: () => undefined,
  setMode: () => undefined,
});
const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('TimeSlider', () => {
  it('shows nothing for a 3D series', () => {
    expect(TimeSlider({ time: time(0, 1) })).toBeNull();
  });

  it('says "t 3/40" (1-based) with a slider from 1 to 40 at 3, and marks a fetch under way', () => {
    const html = renderToStaticMarkup(TimeSlider({ time: time(2, 40, true) })!);
    expect(text(html)).toBe('◀ ▶ t 3/40');
    expect(html).toMatch(/type="range"[^>]*min="1" max="40" step="1" value="3"/);
    expect(html).toContain('aria-valuetext="time point 3 of 40"');
    expect(html).toContain('data-loading="true"');
    expect(html).toContain('title="Next time point (Ctrl+→)"');
  });
});

const idle = { active: false, unavailable: null, unsaved: null, cancel: () => undefined, saveAgain: () => undefined, discard: () => undefined };

describe('CineControls', () => {
  it('offers Slices / Time only for a series with time points, showing the mode chosen', () => {
    const render = (c: Cine): string => renderToStaticMarkup(CineControls({ cine: c, recording: idle, onRecord: () => undefined }));
    expect(render(cine(false))).not.toContain('cine-mode');
    const html = render(cine(true, 'time'));
    expect(html).toContain('data-testid="cine-mode"');
    expect(html).toMatch(/<option value="time" selected="">Time<\/option>/);
  });
});
