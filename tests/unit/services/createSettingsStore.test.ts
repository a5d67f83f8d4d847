import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppSettings } from '../../../core/contract.js';
import { createSettingsStore, defaultSettings } from '../../../main/services/createSettingsStore.js';

/** The settings file is read once, before the first volume opens: whatever lies there must not stall or wipe it. */
describe('createSettingsStore: reading settings.json', () => {
  let dataDir: string;
  let logged: string[];
  const log = (error: unknown): void => void logged.push(error instanceof Error ? error.message : String(error));
  const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> =>
    Promise.race([promise, new Promise<'hung'>((done) => setTimeout(() => done('hung'), ms).unref())]);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'axial-settings-'));
    logged = [];
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives the defaults for a FIFO at settings.json, and says so, instead of waiting for a writer', async () => {
    execFileSync('mkfifo', [join(dataDir, 'settings.json')]);
    // Generous: reading a file takes milliseconds; a FIFO without a writer would never answer.
    expect(await within(createSettingsStore(dataDir, log).get(), 10_000)).toEqual(defaultSettings);
    expect(logged).toEqual([expect.stringContaining('FIFO')]);
  });

  it('gives the defaults for a file bigger than 64 KiB without reading it whole', async () => {
    writeFileSync(join(dataDir, 'settings.json'), `{"measurementsBesideStudy": true, "pad": "${'x'.repeat(70_000)}"}`);
    expect(await createSettingsStore(dataDir, log).get()).toEqual(defaultSettings);
    expect(logged).toEqual([expect.stringMatching(/settings\.json.*70\d\d\d bytes/)]);
  });

  it('keeps each valid field when another is invalid, and logs the file with what was dropped', async () => {
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ decodeThreads: 0, measurementsBesideStudy: true }));
    const expected: AppSettings = { ...defaultSettings, measurementsBesideStudy: true };
    expect(await createSettingsStore(dataDir, log).get()).toEqual(expected);
    expect(logged).toEqual([expect.stringMatching(/settings\.json.*decodeThreads/)]);
  });

  it('reads a valid file as it is, and a missing one as the defaults without a word', async () => {
    const mine: AppSettings = { decodeThreads: 3, philipsScaling: 'precise', measurementsBesideStudy: true };
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(mine));
    expect(await createSettingsStore(dataDir, log).get()).toEqual(mine);
    expect(await createSettingsStore(join(dataDir, 'none'), log).get()).toEqual(defaultSettings);
    expect(logged).toEqual([]);
  });
});

/** A newer version's settings, or a file this one cannot read, must survive a Save here. */
describe('createSettingsStore: saving over what a newer version or a damaged file left', () => {
  let dataDir: string;
  const file = (): string => join(dataDir, 'settings.json');
  const mine: AppSettings = { decodeThreads: 2, philipsScaling: 'display', measurementsBesideStudy: false };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'axial-settings-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the fields it does not know when it saves', async () => {
    writeFileSync(file(), JSON.stringify({ decodeThreads: 3, philipsScaling: 'precise', measurementsBesideStudy: true, cineFps: 24, theme: { name: 'dark' } }));
    const store = createSettingsStore(dataDir, () => undefined);
    expect(await store.get()).toEqual({ decodeThreads: 3, philipsScaling: 'precise', measurementsBesideStudy: true });
    await store.set(mine);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({ ...mine, cineFps: 24, theme: { name: 'dark' } });
    await store.set({ ...mine, decodeThreads: null });
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({ ...mine, decodeThreads: null, cineFps: 24, theme: { name: 'dark' } });
    expect(existsSync(`${file()}.damaged`)).toBe(false);
  });

  it.each([
    ['not JSON', '{ "decodeThreads": 4, '],
    ['an array', '[1,2]'],
  ])('moves a file that is %s aside as settings.json.damaged before writing, once', async (_what, text) => {
    writeFileSync(file(), text);
    const logged: string[] = [];
    const store = createSettingsStore(dataDir, (error) => void logged.push(String(error)));
    expect(await store.get()).toEqual(defaultSettings);
    expect(logged).toEqual([expect.stringContaining('settings.json.damaged')]);
    await store.set(mine);
    expect(readFileSync(`${file()}.damaged`, 'utf8')).toBe(text);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(mine);
    await store.set({ ...mine, decodeThreads: 1 });
    expect(readFileSync(`${file()}.damaged`, 'utf8')).toBe(text);
  });
});
