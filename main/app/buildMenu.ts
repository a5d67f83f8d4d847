import type { EventTypes } from '../../core/contract.js';
import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';

/** The event a menu item sends to the renderer, which then makes the matching call. */
export const menuCommandEvent = 'menu:command';

export type MenuCommandEvent = EventTypes['menu:command'];
export type MenuCommand = MenuCommandEvent['command'];

/** What a click asks main to do; main owns the dialogs, tokens and the recent list. */
export type MenuAction =
  | { readonly kind: 'send'; readonly command: 'openFile' | 'openFolder' | 'exportSegmentation' | 'openSettings' | 'undo' | 'redo' }
  | { readonly kind: 'openRecent'; readonly path: string }
  | { readonly kind: 'openModel' }
  | { readonly kind: 'clearRecent' };

export interface BuildMenuParams {
  /** Most recent first; at most ten are shown. */
  readonly recent: readonly string[];
  readonly platform: NodeJS.Platform;
  onAction(action: MenuAction): void;
}

/**
 * The application menu as a template (Menu.buildFromTemplate turns it into a
 * menu): File with Open File…, Open Folder…, Open Model…, Recent, Export
 * Segmentation…, Settings… and Quit; Edit, whose Undo and Redo undo segmentation edits
 * (their shortcuts are left to the page, which knows when a text field has
 * the focus); and the platform's usual Window menu.
 */
export function buildMenuTemplate(params: BuildMenuParams): MenuItemConstructorOptions[] {
  const { onAction } = params;
  const recentItems: MenuItemConstructorOptions[] = params.recent.slice(0, 10).map((path) => ({
    label: basename(path) || path,
    sublabel: path,
    toolTip: path,
    click: () => onAction({ kind: 'openRecent', path }),
  }));
  const recent: MenuItemConstructorOptions[] =
    recentItems.length === 0
      ? [{ label: 'No Recent Items', enabled: false }]
      : [...recentItems, { type: 'separator' }, { label: 'Clear Recent', click: () => onAction({ kind: 'clearRecent' }) }];
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open File…', accelerator: 'CmdOrCtrl+O', click: () => onAction({ kind: 'send', command: 'openFile' }) },
      { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => onAction({ kind: 'send', command: 'openFolder' }) },
      { label: 'Recent', submenu: recent },
      { type: 'separator' },
      { label: 'Open Model…', click: () => onAction({ kind: 'openModel' }) },
      { label: 'Export Segmentation…', accelerator: 'CmdOrCtrl+E', click: () => onAction({ kind: 'send', command: 'exportSegmentation' }) },
      { type: 'separator' },
      { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: () => onAction({ kind: 'send', command: 'openSettings' }) },
      { type: 'separator' },
      { label: 'Quit', role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { label: 'Undo', accelerator: 'CmdOrCtrl+Z', registerAccelerator: false, click: () => onAction({ kind: 'send', command: 'undo' }) },
      { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', registerAccelerator: false, click: () => onAction({ kind: 'send', command: 'redo' }) },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const mac = params.platform === 'darwin';
  return [...(mac ? [{ role: 'appMenu' } as const] : []), file, edit, { role: 'windowMenu' }];
}
