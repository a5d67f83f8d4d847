import { describe, expect, it } from 'vitest';
import { windowOptions } from '../../../main/app/windowOptions.js';

describe('windowOptions', () => {
  it('runs the renderer sandboxed and context-isolated, without Node, with web security, through the bundled preload only', () => {
    const options = windowOptions('/app/dist/preload/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
    expect(options.show).toBe(false);
  });
});
