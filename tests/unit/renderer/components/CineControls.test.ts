import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RecordingState } from '../../../../renderer/app/useCineRecording.js';
import { CineControls } from '../../../../renderer/components/CineControls.js';
import type { Cine } from '../../../../renderer/state/useCine.js';

const cine: Cine = {
  playing: false,
  fps: 12,
  mode: 'slices',
  timeAvailable: false,
  toggle: () => undefined,
  setFps: () => undefined,
  setMode: () => undefined,
};
const recording = (change: Partial<RecordingState>): RecordingState => ({
  active: false,
  unavailable: null,
  unsaved: null,
  cancel: () => undefined,
  saveAgain: () => undefined,
  discard: () => undefined,
  ...change,
});
const render = (r: RecordingState): string => renderToStaticMarkup(CineControls({ cine, recording: r, onRecord: () => undefined }));

describe('CineControls', () => {
  it('offers Record with the rate it records at, or disables it and says why', () => {
    expect(render(recording({}))).toMatch(/<button type="button" data-testid="cine-record" title="[^"]*at 12 fps as a WebM movie">/);
    const html = render(recording({ unavailable: 'Record works on a 2D view: click one first' }));
    expect(html).toMatch(/data-testid="cine-record" disabled="" title="Record works on a 2D view: click one first"/);
  });

  it('while recording: Cancel instead of Record, Play disabled', () => {
    const html = render(recording({ active: true }));
    expect(html).toContain('data-testid="cine-record-cancel"');
    expect(html).toMatch(/data-testid="cine-record" disabled=""[^>]*>Recording…</);
    expect(html).toMatch(/data-testid="cine-play" aria-pressed="false" disabled=""/);
  });

  it('after a failed save: Save movie again, Discard, and the reason behind Details', () => {
    const html = render(recording({ unsaved: { webm: new Uint8Array(4), suggestedName: 'a.webm', failure: 'EISDIR: is a folder' } }));
    expect(html).toContain('Save movie again…');
    expect(html).toContain('data-testid="cine-discard"');
    expect(html).toContain('<details data-testid="cine-save-details"><summary>Details</summary>EISDIR: is a folder</details>');
  });
});
