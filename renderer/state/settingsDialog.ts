import type { AppSettings } from '../../core/contract.js';

/** The Settings dialog while it shows: the settings main holds (null until `settings:get` answers), and whether a save is under way. */
export interface SettingsDialogState {
  readonly settings: AppSettings | null;
  readonly saving: boolean;
}

export type SettingsAction =
  | { readonly type: 'settingsOpened' }
  | { readonly type: 'settingsLoaded'; readonly settings: AppSettings }
  | { readonly type: 'settingsSaving'; readonly saving: boolean }
  | { readonly type: 'settingsClosed' };

/** The next dialog state; settings that arrive after the dialog closed open nothing. */
export function settingsReducer(dialog: SettingsDialogState | null, action: SettingsAction): SettingsDialogState | null {
  switch (action.type) {
    case 'settingsOpened':
      return dialog ?? { settings: null, saving: false };
    case 'settingsLoaded':
      return dialog ? { ...dialog, settings: action.settings } : null;
    case 'settingsSaving':
      return dialog ? { ...dialog, saving: action.saving } : null;
    case 'settingsClosed':
      return null;
  }
}
