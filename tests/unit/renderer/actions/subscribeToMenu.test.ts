import { describe, expect, it } from 'vitest';
import { createPromptStore } from '../../../../renderer/state/createPromptStore.js';
import type { DesktopApi } from '../../../../renderer/api/DesktopApi.js';
import { subscribeToMenu } from '../../../../renderer/actions/subscribeToMenu.js';

describe('subscribeToMenu', () => {
  it('runs the menu commands, except while the Save / Discard / Cancel question shows', () => {
    const log: string[] = [];
    let send: ((payload: { command: string; dropToken?: string; modelName?: string }) => void) | undefined;
    const api = { on: (_event: string, listener: typeof send) => ((send = listener), () => undefined) } as unknown as DesktopApi;
    const prompt = createPromptStore();
    subscribeToMenu(
      api,
      {
        openScan: (source) => log.push(`open ${source}`),
        openToken: (token) => log.push(`recent ${token}`),
        exportLabels: (format) => log.push(`export ${format}`),
        edit: (command) => log.push(command.type),
        openSettings: () => log.push('settings'),
        modelChosen: (name) => log.push(`model ${name}`),
      },
      prompt,
    );
    send!({ command: 'undo' });
    void prompt.ask({ kind: 'unsaved', name: 'CT segmentation', edits: 2, result: false, reason: 'open-scan' });
    for (const command of ['openFile', 'openFolder', 'undo', 'redo', 'exportSegmentation', 'openSettings']) send!({ command });
    send!({ command: 'openRecent', dropToken: 't1' });
    expect(log).toEqual(['undo']);
    prompt.answer('cancel');
    send!({ command: 'openRecent', dropToken: 't2' });
    send!({ command: 'openSettings' });
    // Open Model…: main has read the model; the toolbar then offers it by name.
    send!({ command: 'modelSelected', modelName: 'spleen_ct_segmentation' });
    expect(log).toEqual(['undo', 'recent t2', 'settings', 'model spleen_ct_segmentation']);
  });
});
