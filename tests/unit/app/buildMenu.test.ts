import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, type MenuAction } from '../../../main/app/buildMenu.js';

function fileMenu(recent: string[], actions: MenuAction[]): MenuItemConstructorOptions[] {
  const template = buildMenuTemplate({ recent, platform: 'linux', onAction: (a) => actions.push(a) });
  return template.find((m) => m.label === 'File')!.submenu as MenuItemConstructorOptions[];
}

const click = (item: MenuItemConstructorOptions | undefined): void => (item!.click as () => void)();

describe('buildMenuTemplate', () => {
  it('offers the file commands, each sending its action', () => {
    const actions: MenuAction[] = [];
    const items = fileMenu([], actions);
    expect(items.filter((i) => i.label).map((i) => i.label)).toEqual([
      'Open File…',
      'Open Folder…',
      'Recent',
      'Open Model…',
      'Export Segmentation…',
      'Settings…',
      'Quit',
    ]);
    for (const label of ['Open File…', 'Open Folder…', 'Open Model…', 'Export Segmentation…', 'Settings…']) click(items.find((i) => i.label === label));
    expect(actions).toEqual([
      { kind: 'send', command: 'openFile' },
      { kind: 'send', command: 'openFolder' },
      { kind: 'openModel' },
      { kind: 'send', command: 'exportSegmentation' },
      { kind: 'send', command: 'openSettings' },
    ]);
    expect(items.find((i) => i.label === 'Quit')!.role).toBe('quit');
  });

  it('lists at most ten recent paths, most recent first', () => {
    const actions: MenuAction[] = [];
    const recent = Array.from({ length: 12 }, (_, n) => `/data/scan-${n}`);
    const submenu = fileMenu(recent, actions).find((i) => i.label === 'Recent')!.submenu as MenuItemConstructorOptions[];
    expect(submenu.slice(0, 10).map((i) => i.label)).toEqual(recent.slice(0, 10).map((p) => p.slice(6)));
    click(submenu[0]);
    click(submenu.find((i) => i.label === 'Clear Recent'));
    expect(actions).toEqual([{ kind: 'openRecent', path: '/data/scan-0' }, { kind: 'clearRecent' }]);
    const empty = fileMenu([], []).find((i) => i.label === 'Recent')!.submenu as MenuItemConstructorOptions[];
    expect(empty).toEqual([{ label: 'No Recent Items', enabled: false }]);
  });

  it('undoes segmentation edits from Edit, leaving Ctrl+Z to the page so text fields keep their own undo', () => {
    const actions: MenuAction[] = [];
    const template = buildMenuTemplate({ recent: [], platform: 'linux', onAction: (a) => actions.push(a) });
    const items = template.find((m) => m.label === 'Edit')!.submenu as MenuItemConstructorOptions[];
    const undo = items.find((i) => i.label === 'Undo')!;
    const redo = items.find((i) => i.label === 'Redo')!;
    expect([undo.accelerator, undo.registerAccelerator, redo.accelerator, redo.registerAccelerator]).toEqual([
      'CmdOrCtrl+Z',
      false,
      'CmdOrCtrl+Shift+Z',
      false,
    ]);
    click(undo);
    click(redo);
    expect(actions).toEqual([
      { kind: 'send', command: 'undo' },
      { kind: 'send', command: 'redo' },
    ]);
    expect(items.filter((i) => i.role).map((i) => i.role)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
  });
});
