/**
 * Axial's Electron main process: one sandboxed window showing the built
 * renderer, the contract's channels on ipcMain, voxel bytes on the
 * privileged `axial-data` scheme, and a session that loads nothing but the
 * app's own content and grants no permission.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, type WebContents } from 'electron';
import { createAppServices } from '../services/createAppServices.js';
import { createDropRegistry } from '../services/createDropRegistry.js';
import { settleWithin } from '../services/settleWithin.js';
import { inFlightTemporaries } from '../io/inFlightTemporaries.js';
import type { OpenKind, SaveFilter } from '../services/AppServices.js';
import { createAppContent } from './appContent.js';
import { buildMenuTemplate, menuCommandEvent, type MenuAction, type MenuCommandEvent } from './buildMenu.js';
import { choiceOf, closeErrorText, closePromptOptions, runPromptOptions } from './closePromptOptions.js';
import { createCloseGuard } from './createCloseGuard.js';
import { contentSecurityPolicy, dataScheme } from './contentSecurityPolicy.js';
import { openDialogOptions, saveDialogOptions } from './dialogOptions.js';
import { clearRecent } from './clearRecent.js';
import { addRecentPath, readRecentPaths, writeRecentPaths } from './recentPaths.js';
import { serveData } from './serveData.js';
import { startUtilityInference } from './startUtilityInference.js';
import { windowOptions } from './windowOptions.js';
import { sendEvent, wireIpc } from './wireIpc.js';

protocol.registerSchemesAsPrivileged([{ scheme: dataScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);

const root = app.getAppPath();
const paths = {
  preload: join(root, 'dist', 'preload', 'preload.cjs'),
  renderer: join(root, 'dist', 'renderer'),
  // Packaged, models/ ships beside the asar (electron-builder's extraResources): onnxruntime reads real files.
  demoModel: join(app.isPackaged ? process.resourcesPath : root, 'models', 'demo-ct-phantom'),
  demoInteractiveModel: join(app.isPackaged ? process.resourcesPath : root, 'models', 'demo-deepedit'),
  recent: join(app.getPath('userData'), 'recent.json'),
  recovery: join(app.getPath('userData'), 'recovery'),
};
/** Longer than dispose's own wait for the calls under way (10 s). */
const disposeLimitMs = 15_000;
const content = createAppContent(paths.renderer);
const drops = createDropRegistry();
let window: BrowserWindow | undefined;
let recent: string[] = [];

const send = (event: string, payload: unknown): void => sendEvent(window?.webContents, event, payload);

async function chooseOpenPath(kind: OpenKind): Promise<string | undefined> {
  const options = openDialogOptions(kind, process.platform);
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}

async function chooseSavePath(suggestedName: string, filters: readonly SaveFilter[]): Promise<string | undefined> {
  const options = saveDialogOptions(app.getPath('documents'), suggestedName, filters);
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled ? undefined : result.filePath;
}

const services = createAppServices({
  chooseOpenPath,
  chooseSavePath,
  takeDroppedPath: (token) => drops.take(token),
  emit: (event, payload) => send(event, payload),
  demoModelPath: paths.demoModel,
  demoInteractiveModelPath: paths.demoInteractiveModel,
  dataUrl: (kind, id) => `${dataScheme}://${kind}/${encodeURIComponent(id)}`,
  recoveryDir: paths.recovery,
  dataDir: app.getPath('userData'),
  onOpened: (path) => void rememberRecent(path),
  // A utilityProcess: the app needs no RunAsNode fuse (electron-builder turns it off). Started on the first run, after 'ready'.
  startInference: () => startUtilityInference(),
});

/** Closing the window or quitting while a model runs, or with unsaved edits, asks first (the logic is createCloseGuard's). */
const closeGuard = createCloseGuard({
  unsaved: () => services.unsavedWork(),
  ask: async (work, action) => {
    const options = closePromptOptions(work, action);
    const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
    return choiceOf(response);
  },
  save: (maskId) => services.saveMask(maskId),
  discard: (maskId) => services.discardMask(maskId),
  report: (error, failed) =>
    dialog.showErrorBox(failed === 'discard' ? 'Could not discard the edits' : 'Could not save the segmentation', closeErrorText(error)),
  modelRunning: () => services.modelRunUnderWay(),
  askStopRun: async (action) => {
    const options = runPromptOptions(action);
    const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
    return response === 0;
  },
  // On quitting, dispose kills the inference process anyway.
  stopRun: () => services.stopModelRun().catch((error: unknown) => console.error(error)),
});

async function rememberRecent(path: string): Promise<void> {
  recent = addRecentPath(recent, path);
  app.addRecentDocument(path);
  refreshMenu();
  await writeRecentPaths(paths.recent, recent).catch((error: unknown) => console.error(error));
}

async function onMenuAction(action: MenuAction): Promise<void> {
  const command = (event: MenuCommandEvent): void => send(menuCommandEvent, event);
  switch (action.kind) {
    case 'send':
      return command({ command: action.command });
    case 'openRecent':
      return command({ command: 'openRecent', dropToken: drops.register(action.path) });
    case 'openModel': {
      const chosen = await chooseOpenPath('model');
      if (chosen === undefined) return;
      // Read before it is kept, as the toolbar's "Model folder…" does: a folder that is no model never sticks.
      const modelName = await services.selectModel(chosen).catch((error: unknown) => {
        dialog.showErrorBox('Could not open the model', closeErrorText(error));
        return undefined;
      });
      return modelName === undefined ? undefined : command({ command: 'modelSelected', modelName });
    }
    case 'clearRecent':
      recent = [];
      app.clearRecentDocuments();
      refreshMenu();
      await clearRecent({ recentFile: paths.recent, services, logError: (error) => console.error(error) });
      return command({ command: 'recentCleared' });
  }
}

function refreshMenu(): void {
  const template = buildMenuTemplate({ recent, platform: process.platform, onAction: (action) => void onMenuAction(action) });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Refuses navigation, new windows, webviews and permissions for every page the app ever creates. */
function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !content.isAllowedRequest(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] };
    callback({ responseHeaders: headers });
  });
  protocol.handle(dataScheme, (request) => serveData(services, request));
}

function createWindow(): void {
  const created = new BrowserWindow(windowOptions(paths.preload));
  window = created;
  created.once('ready-to-show', () => created.show());
  created.on('close', (event) => {
    if (!closeGuard.allow('close', () => created.close())) event.preventDefault();
  });
  // The page's beforeunload prompt is for a plain browser; here the close guard has already asked.
  created.webContents.on('will-prevent-unload', (event) => event.preventDefault());
  created.on('closed', () => {
    if (window === created) window = undefined;
  });
  void created.loadFile(join(paths.renderer, 'index.html'));
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (!closeGuard.allow('quit', () => app.quit())) event.preventDefault();
  });
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    // Bounded, so that nothing stuck keeps the app from quitting; a write then cut short leaves no half file, and its temporary file goes.
    void settleWithin(services.dispose(), disposeLimitMs).then((done) => {
      if (!done) console.error(`quitting before the services had stopped, after ${disposeLimitMs / 1000} s`);
      inFlightTemporaries.removeAll();
      app.quit();
    });
  });
  // The 3D view needs WebGL2; on a machine without a usable GPU, recent Chromium gives it only through SwiftShader with this switch.
  app.commandLine.appendSwitch('enable-unsafe-swiftshader');
  await app.whenReady();
  hardenSession();
  wireIpc({ ipcMain, services, drops, isAppPage: content.isAppPage, mainFrame: () => window?.webContents.mainFrame });
  recent = await readRecentPaths(paths.recent, (error) => console.error(error));
  refreshMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

void start();
