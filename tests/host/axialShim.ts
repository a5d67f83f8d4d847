import type { ArgumentsOf, AxialApi, Channel, EventName, EventTypes, Result, ResultTypes } from '../../core/contract.js';

/** The part of a browser's EventSource the shim uses. */
export interface ShimEventSource {
  addEventListener(type: string, listener: (event: { readonly data?: string }) => void): void;
  removeEventListener(type: string, listener: (event: { readonly data?: string }) => void): void;
}

/** The part of a browser's response the shim uses. */
export interface ShimResponse {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The browser globals the shim uses, passed in so that its body refers to nothing else. */
export interface ShimWindow {
  axial?: unknown;
  fetch(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<ShimResponse>;
  EventSource: new (url: string) => ShimEventSource;
  btoa(binary: string): string;
  setTimeout(callback: () => void, ms: number): unknown;
}

/** What the page is handed as `window.axial` under the test host: the contract, plus drops. */
export type ShimApi = AxialApi<{ readonly name: string }> & {
  readonly registerDrop: (file: { readonly name: string }) => Promise<Result<{ readonly dropToken: string }>>;
};

/**
 * Defines `window.axial` over HTTP: calls are POST /invoke/<channel> with a
 * JSON body (Uint8Array values as { $bytes: base64 }), events arrive by
 * Server-Sent Events from /events, data is fetched from the dataUrl. Calls
 * wait (at most three seconds) for the event stream to open, so that no
 * event of a call is missed. The test host serves this function's own source
 * as /axial-shim.js: it must use nothing but its parameter and the language's
 * built-ins.
 */
export function installAxialShim(win: ShimWindow): ShimApi {
  const source = new win.EventSource('/events');
  const connected = new Promise<void>((resolve) => {
    source.addEventListener('open', () => resolve());
    win.setTimeout(resolve, 3000);
  });
  const encode = (_key: string, value: unknown): unknown => {
    if (!ArrayBuffer.isView(value) || Object.prototype.toString.call(value) !== '[object Uint8Array]') return value;
    const bytes = value as Uint8Array;
    let binary = '';
    for (let n = 0; n < bytes.length; n += 0x8000) binary += String.fromCharCode(...bytes.subarray(n, n + 0x8000));
    return { $bytes: win.btoa(binary) };
  };
  const post = async <T>(path: string, body: unknown): Promise<Result<T>> => {
    await connected;
    const response = await win.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body, encode) });
    return (await response.json()) as Result<T>;
  };
  const call = <C extends Channel>(channel: C, args: ArgumentsOf<C>): Promise<Result<ResultTypes[C]>> =>
    post<ResultTypes[C]>(`/invoke/${encodeURIComponent(channel)}`, args);
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
    on: <E extends EventName>(event: E, listener: (payload: EventTypes[E]) => void): (() => void) => {
      const forward = (message: { readonly data?: string }): void => listener(JSON.parse(message.data ?? 'null') as EventTypes[E]);
      source.addEventListener(event, forward);
      return () => source.removeEventListener(event, forward);
    },
    /** The test plays the OS: the host answers with the path it was given by answerNextDrop. */
    registerDrop: (file: { readonly name: string }) => post<{ readonly dropToken: string }>('/drop', { name: file.name }),
  } satisfies ShimApi;
  win.axial = api;
  return api;
}

/** The script the host serves as /axial-shim.js. */
export function axialShimScript(): string {
  return `"use strict";\n(${installAxialShim.toString()})(window);\n`;
}
