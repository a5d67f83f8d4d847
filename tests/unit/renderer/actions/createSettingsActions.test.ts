import { describe, expect, it } from 'vitest';
import type { AppSettings } from '../../../../core/contract.js';
import { createSettingsActions, settingsSavedStatus } from '../../../../renderer/actions/createSettingsActions.js';
import { actionHarness, ok } from './actionHarness.js';

describe('createSettingsActions', () => {
  it('opens the dialog with main’s settings, and saves the chosen ones with a status saying when they apply', async () => {
    let kept: AppSettings = { decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: false };
    const { log, context, settled } = actionHarness(
      {
        'settings:get': async () => ok(kept),
        'settings:set': async (settings) => ok((kept = settings)),
      },
      {},
    );
    const actions = createSettingsActions(context);
    actions.openSettings();
    await settled();
    actions.saveSettings({ decodeThreads: 2, philipsScaling: 'display', measurementsBesideStudy: false });
    await settled();
    expect(kept).toEqual({ decodeThreads: 2, philipsScaling: 'display', measurementsBesideStudy: false });
    expect(log).toEqual(['settingsOpened', 'settingsLoaded', 'settingsSaving', 'settingsSaving', 'settingsClosed', `status ${settingsSavedStatus}`]);
  });

  it('closes the dialog and says why when main cannot read or keep the settings; it stays open when a save fails', async () => {
    const refused = { ok: false, error: { code: 'SETTINGS_UNWRITABLE', message: 'the settings file cannot be written' } } as const;
    const { log, context, settled } = actionHarness(
      {
        'settings:get': async () => ({ ok: false, error: { code: 'IO', message: 'the settings file cannot be read' } }),
        'settings:set': async () => refused,
      },
      {},
    );
    const actions = createSettingsActions(context);
    actions.openSettings();
    await settled();
    expect(log).toEqual(['settingsOpened', 'settingsClosed', 'error Could not read the settings: the settings file cannot be read']);
    log.length = 0;
    actions.saveSettings({ decodeThreads: 1, philipsScaling: 'precise', measurementsBesideStudy: false });
    await settled();
    expect(log).toEqual(['settingsSaving', 'settingsSaving', 'error Could not save the settings: the settings file cannot be written']);
  });

  it('opens nothing more while the dialog shows, and Cancel closes it without a call', async () => {
    const calls: string[] = [];
    const { log, context, settled } = actionHarness(
      { 'settings:get': async () => (calls.push('get'), ok({ decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: false })) },
      { settingsDialog: { settings: null, saving: false } },
    );
    const actions = createSettingsActions(context);
    actions.openSettings();
    actions.closeSettings();
    await settled();
    expect(calls).toEqual([]);
    expect(log).toEqual(['settingsClosed']);
  });
});
