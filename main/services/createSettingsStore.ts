import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appSettingsSchema, type AppSettings } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { readSmallTextFile } from '../io/readSmallTextFile.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';

/** The user's settings, read once from the app's data folder and written back atomically on every change. */
export interface SettingsStore {
  get(): Promise<AppSettings>;
  set(settings: AppSettings): Promise<AppSettings>;
}

export const defaultSettings: AppSettings = { decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: false };

/** A settings file is a few dozen bytes; a bigger one is not ours. */
const maxFileBytes = 64 * 1024;

/**
 * Settings kept in `<dataDir>/settings.json`, or in memory only when there is no data folder.
 * A missing file gives the defaults. Only a regular file of at most 64 KiB is read (a FIFO there would stall
 * every volume:open, which waits for the settings); anything else gives the defaults. Each field valid on its
 * own is kept, so one bad value does not reset the others; what is dropped is reported to `logError`, naming
 * the file (it is replaced on the next save).
 * @throws AxialError OUTPUT_WRITE_FAILED from `set` when the file cannot be written.
 */
export function createSettingsStore(dataDir: string | undefined, logError: (error: unknown) => void): SettingsStore {
  const file = dataDir === undefined ? undefined : join(dataDir, 'settings.json');
  let current: Promise<AppSettings> | undefined;
  const read = async (): Promise<AppSettings> => {
    if (file === undefined) return defaultSettings;
    let text: string;
    try {
      text = await readSmallTextFile(file, maxFileBytes, 'a settings file');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logError(error);
      return defaultSettings;
    }
    const { settings, dropped } = validFields(text);
    if (dropped.length > 0) logError(new AxialError('INPUT_UNREADABLE', `settings left at their defaults: ${dropped.join('; ')}`, { file }));
    return settings;
  };
  return {
    get: () => (current ??= read()),
    async set(settings) {
      if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
      if (file !== undefined) await writeFileAtomic(file, [new TextEncoder().encode(`${JSON.stringify(settings, null, 2)}\n`)]);
      current = Promise.resolve(settings);
      return settings;
    },
  };
}

/**
 * The settings in `text`, field by field: each that is valid on its own is kept, any other takes its default
 * (settings saved by an older version keep what is still valid; a new setting takes its default).
 */
function validFields(text: string): { settings: AppSettings; dropped: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { settings: defaultSettings, dropped: ['not valid JSON'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { settings: defaultSettings, dropped: ['not a JSON object'] };
  const found = parsed as Record<string, unknown>;
  const settings: Record<string, unknown> = { ...defaultSettings };
  const dropped: string[] = [];
  for (const key of Object.keys(appSettingsSchema.shape) as (keyof AppSettings)[]) {
    if (!Object.hasOwn(found, key)) continue;
    const field = appSettingsSchema.shape[key].safeParse(found[key]);
    if (field.success) settings[key] = field.data;
    else dropped.push(`${key} (${field.error.issues[0]?.message ?? 'invalid'})`);
  }
  const unknown = Object.keys(found).filter((key) => !Object.hasOwn(appSettingsSchema.shape, key));
  if (unknown.length > 0) dropped.push(`unknown ${unknown.length === 1 ? 'field' : 'fields'} ${unknown.slice(0, 5).join(', ')}`);
  return { settings: appSettingsSchema.parse(settings), dropped };
}
