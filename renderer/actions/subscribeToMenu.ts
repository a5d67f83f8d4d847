import type { DesktopApi } from '../api/DesktopApi.js';
import type { PromptStore } from '../state/createPromptStore.js';

/** The app menu's `menu:command` event (outside the contract; the preload forwards it): File › Open…, Recent, Export, Settings…. */
interface MenuCommand {
  readonly command: string;
  readonly dropToken?: string;
  readonly modelName?: string;
}

/** What the menu's commands call. */
export interface MenuActions {
  openScan(source: 'file' | 'folder'): void;
  openToken(dropToken: string): void;
  exportLabels(format: 'nifti'): void;
  edit(command: { readonly type: 'undo' | 'redo' }): void;
  openSettings(): void;
  modelChosen(name: string): void;
}

/**
 * Runs the app menu's commands. None runs while the page asks Save / Discard
 * / Cancel: an Open or an Undo then would change what the question is about.
 * Returns the function that stops listening.
 */
export function subscribeToMenu(api: DesktopApi | null, actions: MenuActions, prompt: Pick<PromptStore, 'current'>): () => void {
  if (!api) return () => {};
  const on = api.on as unknown as (event: 'menu:command', listener: (payload: MenuCommand) => void) => () => void;
  try {
    return on('menu:command', ({ command, dropToken, modelName }) => {
      if (prompt.current() !== null) return;
      if (command === 'openFile') actions.openScan('file');
      else if (command === 'openFolder') actions.openScan('folder');
      else if (command === 'openRecent' && dropToken) actions.openToken(dropToken);
      else if (command === 'exportSegmentation') actions.exportLabels('nifti');
      else if (command === 'undo' || command === 'redo') actions.edit({ type: command });
      else if (command === 'openSettings') actions.openSettings();
      else if (command === 'modelSelected' && modelName) actions.modelChosen(modelName);
    });
  } catch {
    // A host without an app menu (the test host) refuses the event name.
    return () => {};
  }
}
