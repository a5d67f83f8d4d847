import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

/** Electron played by the test: `app` hears child-process-gone, `utilityProcess.fork` makes fake processes. */
const electron = vi.hoisted(() => {
  const forks: { serviceName: string; child: import('node:events').EventEmitter }[] = [];
  return { forks, app: null as unknown as import('node:events').EventEmitter };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  electron.app = new Emitter();
  const fork = (_path: string, _args: string[], options: { serviceName: string }) => {
    const child = Object.assign(new Emitter(), { pid: 4000 + electron.forks.length, stderr: null, postMessage: () => undefined, kill: () => true });
    electron.forks.push({ serviceName: options.serviceName, child });
    return child;
  };
  return { app: electron.app, utilityProcess: { fork } };
});

const { startUtilityInference } = await import('../../../main/app/startUtilityInference.js');

const scratch = mkdtempSync(join(tmpdir(), 'axial-utility-'));
const entry = join(scratch, 'inferenceProcessEntry.js');
writeFileSync(entry, '');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('startUtilityInference', () => {
  it("names each process apart, so an earlier process's child-process-gone is not credited to the next", async () => {
    startUtilityInference(entry);
    const second = startUtilityInference(entry);
    const [a, b] = electron.forks.slice(-2);
    expect(a!.serviceName).not.toBe(b!.serviceName);
    expect(b!.serviceName).toMatch(/^Axial inference #\d+$/);
    const request = { type: 'segment', volume: {}, modelPath: 'm', device: 'cpu' } as unknown as Parameters<typeof second.segment>[0];
    const failed = second.segment(request).then(
      () => new Error('it did not fail'),
      (error: unknown) => error as Error,
    );
    // The first process was killed; the second then exits on its own with code 9 (not a signal).
    electron.app.emit('child-process-gone', {} as Event, { type: 'Utility', serviceName: a!.serviceName, reason: 'killed', exitCode: 9 });
    b!.child.emit('exit', 9);
    const error = await failed;
    expect(error.message).toContain('exited with code 9');
    expect(error.message).not.toMatch(/SIGKILL|killed/);
  });
});
