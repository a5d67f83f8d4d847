import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { channelNames, type Result } from '../../core/contract.js';
import type { AppServices } from '../services/AppServices.js';
import type { DropRegistry } from '../services/createDropRegistry.js';

/** The preload's internal call that turns a dropped file's path into a token; not part of the renderer's API. */
export const dropRegisterChannel = 'drop:register';

export interface WireIpcParams {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly services: Pick<AppServices, 'invoke'>;
  /** The main window's main frame now (undefined while there is no window). */
  mainFrame(): WebFrameMain | undefined;
  /** True for a page of the app's own renderer. */
  isAppPage(url: string): boolean;
  readonly drops: Pick<DropRegistry, 'register'>;
}

type Frame = Pick<WebFrameMain, 'processId' | 'frameToken' | 'url'>;

const forbidden: Result<never> = {
  ok: false,
  error: { code: 'IPC_FORBIDDEN_SENDER', message: 'calls are accepted only from the app’s own page in its main window' },
};

/**
 * True when a call comes from the main window's main frame while it shows
 * the app's own page: not a subframe, not another window, not a page the
 * window was navigated to.
 */
export function isTrustedSender(frame: Frame | null | undefined, mainFrame: Frame | undefined, isAppPage: (url: string) => boolean): boolean {
  if (!frame || !mainFrame) return false;
  return frame.processId === mainFrame.processId && frame.frameToken === mainFrame.frameToken && isAppPage(frame.url);
}

/**
 * Registers an ipcMain handler for every contract channel (and the preload's
 * drop registration), each checking its sender first; payloads are validated
 * by the services. Returns a function that removes them all.
 */
export function wireIpc(params: WireIpcParams): () => void {
  const { ipcMain, services } = params;
  const trusted = (event: IpcMainInvokeEvent): boolean => isTrustedSender(event.senderFrame, params.mainFrame(), params.isAppPage);
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, payload: unknown) => (trusted(event) ? services.invoke(channel, payload) : forbidden));
  }
  ipcMain.handle(dropRegisterChannel, async (event, path: unknown) => (trusted(event) ? registerDrop(params.drops, path) : forbidden));
  return () => {
    for (const channel of [...channelNames, dropRegisterChannel]) ipcMain.removeHandler(channel);
  };
}

/**
 * Checks what the preload says was dropped (an existing file or folder, by
 * absolute path) and hands back a one-use token for `volume:open`.
 */
export async function registerDrop(drops: Pick<DropRegistry, 'register'>, path: unknown): Promise<Result<{ readonly dropToken: string }>> {
  const invalid = (message: string): Result<never> => ({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS', message: `${dropRegisterChannel}: ${message}` } });
  if (typeof path !== 'string' || path.length === 0 || path.length > 4096 || path.includes('\0')) return invalid('not a path');
  if (!isAbsolute(path)) return invalid('the dropped path is not absolute');
  const found = await stat(path).catch(() => undefined);
  if (!found || !(found.isFile() || found.isDirectory())) return invalid('nothing to open at the dropped path (only files and folders)');
  return { ok: true, value: { dropToken: drops.register(path) } };
}

/** Pushes an event to the window's page, unless it is gone. */
export function sendEvent(webContents: Pick<WebContents, 'send' | 'isDestroyed'> | undefined, event: string, payload: unknown): void {
  if (webContents && !webContents.isDestroyed()) webContents.send(event, payload);
}
