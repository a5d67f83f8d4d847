import type { AppSettings } from '../../core/contract.js';
import { unwrap } from '../api/callApi.js';
import type { ActionContext } from './ActionContext.js';

/** The Settings dialog's calls (`settings:` in the contract). */
export interface SettingsActions {
  /** Shows the Settings dialog with the settings main holds (File › Settings…, the toolbar's Settings). */
  openSettings(): void;
  /** Saves the dialog's settings; they apply from the next scan or load. */
  saveSettings(settings: AppSettings): void;
  /** Closes the dialog without saving. */
  closeSettings(): void;
}

/** What the status line says after a save: when the change takes effect. */
export const settingsSavedStatus = 'Settings saved; they apply from the next series you open.';

/** Reading and saving the app's settings through main, which keeps them. */
export function createSettingsActions(context: ActionContext): SettingsActions {
  const { attempt, dispatch, state } = context;
  return {
    openSettings: () => {
      if (state.current.settingsDialog) return;
      dispatch({ type: 'settingsOpened' });
      attempt('Could not read the settings', async (a) => {
        try {
          dispatch({ type: 'settingsLoaded', settings: await unwrap(a['settings:get']({})) });
        } catch (error) {
          // A dialog with nothing to show would only wait.
          dispatch({ type: 'settingsClosed' });
          throw error;
        }
      });
    },
    saveSettings: (settings) =>
      attempt('Could not save the settings', async (a) => {
        dispatch({ type: 'settingsSaving', saving: true });
        try {
          await unwrap(a['settings:set'](settings));
        } finally {
          dispatch({ type: 'settingsSaving', saving: false });
        }
        dispatch({ type: 'settingsClosed' });
        dispatch({ type: 'status', message: settingsSavedStatus });
      }),
    closeSettings: () => dispatch({ type: 'settingsClosed' }),
  };
}
