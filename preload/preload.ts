/**
 * The bridge: `window.axial`, one named function per contract channel, the
 * event subscription and the drop registration. Bundled to CommonJS
 * (scripts/buildPreload.mjs) because a sandboxed preload can require nothing
 * but 'electron'; it imports only types from the contract, so zod stays out.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ArgumentsOf, AxialApi, Channel, EventName, EventTypes, Result, ResultTypes } from '../core/contract.js';

/** Events the page may listen to: exactly the contract's. */
const events = {
  'segmentation:progress': true,
  'volume:progress': true,
  'segmentation:done': true,
  'menu:command': true,
} as const satisfies Record<EventName, true>;

type ListenableEvent = keyof typeof events;

const call = <C extends Channel>(channel: C, args: ArgumentsOf<C>): Promise<Result<ResultTypes[C]>> =>
  ipcRenderer.invoke(channel, args) as Promise<Result<ResultTypes[C]>>;

const api = {
  'app:ping': (args: ArgumentsOf<'app:ping'>) => call('app:ping', args),
  'settings:get': (args: ArgumentsOf<'settings:get'>) => call('settings:get', args),
  'settings:set': (args: ArgumentsOf<'settings:set'>) => call('settings:set', args),
  'volume:cancel': (args: ArgumentsOf<'volume:cancel'>) => call('volume:cancel', args),
  'volume:open': (args: ArgumentsOf<'volume:open'>) => call('volume:open', args),
  'volume:load': (args: ArgumentsOf<'volume:load'>) => call('volume:load', args),
  'mask:open': (args: ArgumentsOf<'mask:open'>) => call('mask:open', args),
  'mask:create': (args: ArgumentsOf<'mask:create'>) => call('mask:create', args),
  'mask:edit': (args: ArgumentsOf<'mask:edit'>) => call('mask:edit', args),
  'mask:statistics': (args: ArgumentsOf<'mask:statistics'>) => call('mask:statistics', args),
  'mask:recover': (args: ArgumentsOf<'mask:recover'>) => call('mask:recover', args),
  'mask:discardRecovery': (args: ArgumentsOf<'mask:discardRecovery'>) => call('mask:discardRecovery', args),
  'mask:status': (args: ArgumentsOf<'mask:status'>) => call('mask:status', args),
  'mask:save': (args: ArgumentsOf<'mask:save'>) => call('mask:save', args),
  'mask:discard': (args: ArgumentsOf<'mask:discard'>) => call('mask:discard', args),
  'mask:keep': (args: ArgumentsOf<'mask:keep'>) => call('mask:keep', args),
  'mask:close': (args: ArgumentsOf<'mask:close'>) => call('mask:close', args),
  'model:inputs': (args: ArgumentsOf<'model:inputs'>) => call('model:inputs', args),
  'segmentation:run': (args: ArgumentsOf<'segmentation:run'>) => call('segmentation:run', args),
  'segmentation:cancel': (args: ArgumentsOf<'segmentation:cancel'>) => call('segmentation:cancel', args),
  'mask:export': (args: ArgumentsOf<'mask:export'>) => call('mask:export', args),
  'view:exportPng': (args: ArgumentsOf<'view:exportPng'>) => call('view:exportPng', args),
  'measurements:save': (args: ArgumentsOf<'measurements:save'>) => call('measurements:save', args),
  'measurements:export': (args: ArgumentsOf<'measurements:export'>) => call('measurements:export', args),
  'view:exportMovie': (args: ArgumentsOf<'view:exportMovie'>) => call('view:exportMovie', args),
  'studies:list': (args: ArgumentsOf<'studies:list'>) => call('studies:list', args),
  'studies:remove': (args: ArgumentsOf<'studies:remove'>) => call('studies:remove', args),
  'studies:open': (args: ArgumentsOf<'studies:open'>) => call('studies:open', args),

  /**
   * Subscribes to an event main pushes; returns the unsubscribe function.
   * @throws Error for an event name that is not listenable.
   */
  on: <E extends EventName>(event: E, listener: (payload: EventTypes[E]) => void): (() => void) => {
    if (!Object.hasOwn(events, event)) throw new Error(`no event named ${String(event)}`);
    const forward = (_event: IpcRendererEvent, payload: EventTypes[E]): void => listener(payload);
    ipcRenderer.on(event as ListenableEvent, forward);
    return () => void ipcRenderer.removeListener(event, forward);
  },

  /**
   * Hands main a dropped file or folder (its path is read here, where the
   * sandbox allows it) and gets a token for `volume:open` with source 'drop'.
   */
  registerDrop: async (file: File): Promise<Result<{ readonly dropToken: string }>> => {
    const path = webUtils.getPathForFile(file);
    if (!path) return { ok: false, error: { code: 'IPC_INVALID_ARGUMENTS', message: 'the dropped item is not a file on disk' } };
    return ipcRenderer.invoke('drop:register', path) as Promise<Result<{ readonly dropToken: string }>>;
  },
} satisfies AxialApi<File>;

/** The type of `window.axial` in the app. */
export type PreloadApi = typeof api;

contextBridge.exposeInMainWorld('axial', api);
