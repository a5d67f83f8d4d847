import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { channelNames } from '../../../core/contract.js';
import { createAppContent } from '../../../main/app/appContent.js';
import { dropRegisterChannel, isTrustedSender, sendEvent, wireIpc } from '../../../main/app/wireIpc.js';
import { createDropRegistry } from '../../../main/services/createDropRegistry.js';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

const scratch = mkdtempSync(join(tmpdir(), 'axial-ipc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const rendererDir = join(scratch, 'renderer');
const appPage = `${pathToFileURL(rendererDir).href}/index.html`;
const content = createAppContent(rendererDir);

/** A frame as Electron's WebFrameMain presents it, reduced to what the check reads. */
const frame = (processId: number, frameToken: string, url: string): WebFrameMain => ({ processId, frameToken, url }) as WebFrameMain;
const mainFrame = frame(4, 'main-token', appPage);

function wire(): { handlers: Map<string, Handler>; invoked: [string, unknown][]; removed: string[]; unwire: () => void } {
  const handlers = new Map<string, Handler>();
  const invoked: [string, unknown][] = [];
  const removed: string[] = [];
  const unwire = wireIpc({
    ipcMain: {
      handle: (channel: string, listener: Handler) => void handlers.set(channel, listener),
      removeHandler: (channel: string) => void removed.push(channel),
    },
    services: {
      invoke: async (channel: string, payload: unknown) => {
        invoked.push([channel, payload]);
        return { ok: true, value: null } as never;
      },
    },
    mainFrame: () => mainFrame,
    isAppPage: content.isAppPage,
    drops: createDropRegistry(),
  });
  return { handlers, invoked, removed, unwire };
}

const eventFrom = (senderFrame: WebFrameMain | null): IpcMainInvokeEvent => ({ senderFrame }) as IpcMainInvokeEvent;

describe('wireIpc', () => {
  it('handles every contract channel, and the drop registration, passing payloads to the services', async () => {
    const { handlers, invoked, removed, unwire } = wire();
    expect([...handlers.keys()].sort()).toEqual([...channelNames, dropRegisterChannel].sort());
    for (const channel of channelNames) {
      expect(await handlers.get(channel)!(eventFrom(mainFrame), { probe: channel })).toEqual({ ok: true, value: null });
    }
    expect(invoked).toEqual(channelNames.map((c) => [c, { probe: c }]));
    unwire();
    expect(removed.sort()).toEqual([...channelNames, dropRegisterChannel].sort());
  });

  it.each([
    ['no frame (navigated away or destroyed)', null],
    ['a subframe of the window', frame(4, 'child-token', appPage)],
    ['another window’s frame', frame(9, 'main-token', appPage)],
    ['the main frame showing a foreign page', frame(4, 'main-token', 'https://evil.example/')],
    ['the main frame showing a file outside the renderer', frame(4, 'main-token', pathToFileURL(join(scratch, 'secret.html')).href)],
  ])('refuses %s with IPC_FORBIDDEN_SENDER, never reaching the services', async (_name, sender) => {
    const { handlers, invoked } = wire();
    for (const channel of [...channelNames, dropRegisterChannel]) {
      const result = await handlers.get(channel)!(eventFrom(sender), { source: 'file' });
      expect(result).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
    }
    expect(invoked).toEqual([]);
  });

  it('registers only an existing absolute file or folder as a drop', async () => {
    const { handlers } = wire();
    const register = handlers.get(dropRegisterChannel)!;
    const file = join(scratch, 'dropped.nii.gz');
    writeFileSync(file, 'x');
    const ok = (await register(eventFrom(mainFrame), file)) as { ok: boolean; value?: { dropToken: string } };
    expect(ok).toMatchObject({ ok: true, value: { dropToken: expect.any(String) } });
    expect(await register(eventFrom(mainFrame), scratch)).toMatchObject({ ok: true });
    for (const bad of [join(scratch, 'missing'), 'relative/path', '', 42, { path: file }, `${file}\0`]) {
      expect(await register(eventFrom(mainFrame), bad)).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
    }
  });

  it('tells the app’s pages apart by parsed URL', () => {
    expect(isTrustedSender(mainFrame, mainFrame, content.isAppPage)).toBe(true);
    expect(content.isAppPage(`${pathToFileURL(rendererDir).href}/assets/../index.html#view`)).toBe(true);
    expect(content.isAppPage(`${pathToFileURL(rendererDir).href}/../secret.html`)).toBe(false);
    expect(content.isAppPage(`${pathToFileURL(rendererDir).href}-evil/index.html`)).toBe(false);
    expect(content.isAllowedRequest('axial-data://volume/abc')).toBe(true);
    expect(content.isAllowedRequest('https://example.com/x.js')).toBe(false);
    expect(content.isAllowedRequest('file:///etc/passwd')).toBe(false);
  });

  it('sends events to a live page only', () => {
    const sent: unknown[] = [];
    sendEvent({ isDestroyed: () => false, send: (...args: unknown[]) => void sent.push(args) }, 'segmentation:done', { jobId: 'j' });
    sendEvent({ isDestroyed: () => true, send: (...args: unknown[]) => void sent.push(args) }, 'segmentation:done', { jobId: 'k' });
    sendEvent(undefined, 'segmentation:done', {});
    expect(sent).toEqual([['segmentation:done', { jobId: 'j' }]]);
  });
});
