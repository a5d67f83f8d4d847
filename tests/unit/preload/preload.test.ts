import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelNames } from '../../../core/contract.js';
import { repoRoot } from '../../repoRoot.js';

type Fn = (...args: unknown[]) => unknown;

/** Runs the bundled preload as a sandboxed preload would: `require` knows 'electron' only. */
function loadBundle(getPathForFile: (file: unknown) => string) {
  const exposed: Record<string, Record<string, Fn>> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Fn>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, Fn>) => void (exposed[name] = api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, value: args[0] };
      },
      on: (event: string, listener: Fn) => void listeners.set(event, (listeners.get(event) ?? new Set()).add(listener)),
      removeListener: (event: string, listener: Fn) => void listeners.get(event)?.delete(listener),
    },
    webUtils: { getPathForFile },
  };
  const module = { exports: {} };
  const require = (name: string): unknown => {
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  runInNewContext(readFileSync(join(repoRoot, 'dist', 'preload', 'preload.cjs'), 'utf8'), { require, module, exports: module.exports });
  return { exposed, invoked, listeners };
}

describe('the bundled preload (dist/preload/preload.cjs)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'buildPreload.mjs')], { stdio: 'pipe' });
  });

  it('exposes window.axial with one named function per channel, and no generic invoke', async () => {
    const { exposed, invoked } = loadBundle(() => '');
    const api = exposed.axial!;
    expect(Object.keys(exposed)).toEqual(['axial']);
    expect(Object.keys(api).sort()).toEqual([...channelNames, 'on', 'registerDrop'].sort());
    for (const channel of channelNames) expect(await api[channel]!({ probe: 1 })).toEqual({ ok: true, value: channel });
    expect(invoked).toEqual(channelNames.map((c) => [c, { probe: 1 }]));
  });

  it('forwards only listenable events, without the IPC event object, and unsubscribes', () => {
    const { exposed, listeners } = loadBundle(() => '');
    const api = exposed.axial!;
    const heard: unknown[] = [];
    const off = api.on!('segmentation:done', (payload: unknown) => heard.push(payload)) as () => void;
    for (const listener of listeners.get('segmentation:done')!) listener({ sender: 'ipc' }, { jobId: 'j' });
    expect(heard).toEqual([{ jobId: 'j' }]);
    off();
    expect(listeners.get('segmentation:done')!.size).toBe(0);
    expect(() => api.on!('menu:command', () => undefined)).not.toThrow();
    expect(() => api.on!('drop:register', () => undefined)).toThrow(/no event named/);
  });

  it('registers a drop by the path Electron gives for the File, refusing a file not on disk', async () => {
    const withPath = loadBundle(() => '/scans/ct');
    expect(await withPath.exposed.axial!.registerDrop!({ name: 'ct' })).toEqual({ ok: true, value: 'drop:register' });
    expect(withPath.invoked).toEqual([['drop:register', '/scans/ct']]);
    const withoutPath = loadBundle(() => '');
    expect(await withoutPath.exposed.axial!.registerDrop!({ name: 'blob' })).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
    expect(withoutPath.invoked).toEqual([]);
  });
});
