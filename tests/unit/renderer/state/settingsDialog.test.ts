import { describe, expect, it } from 'vitest';
import { settingsReducer } from '../../../../renderer/state/settingsDialog.js';

describe('settingsReducer', () => {
  it('opens waiting for main’s settings, takes them, and closes', () => {
    const opened = settingsReducer(null, { type: 'settingsOpened' })!;
    expect(opened).toEqual({ settings: null, saving: false });
    // Opening it again (menu and button) keeps what it shows.
    expect(settingsReducer(opened, { type: 'settingsOpened' })).toBe(opened);
    const loaded = settingsReducer(opened, {
      type: 'settingsLoaded',
      settings: { decodeThreads: 4, philipsScaling: 'display', measurementsBesideStudy: false },
    })!;
    expect(loaded.settings).toEqual({ decodeThreads: 4, philipsScaling: 'display', measurementsBesideStudy: false });
    expect(settingsReducer(loaded, { type: 'settingsSaving', saving: true })!.saving).toBe(true);
    expect(settingsReducer(loaded, { type: 'settingsClosed' })).toBeNull();
  });

  it('opens nothing when main’s answer arrives after the dialog closed', () => {
    expect(
      settingsReducer(null, { type: 'settingsLoaded', settings: { decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: false } }),
    ).toBeNull();
    expect(settingsReducer(null, { type: 'settingsSaving', saving: false })).toBeNull();
  });
});
