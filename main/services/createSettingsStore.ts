import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appSettingsSchema, type AppSettings } from '../../core/contract.js';
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
 * A missing file gives the defaults; an unreadable, oversized or invalid one gives the defaults
 * too, and is reported to `logError` (it is replaced on the next save).
 * @throws AxialError OUTPUT_WRITE_FAILED from `set` when the file cannot be written.
 */
export function createSettingsStore(dataDir: string | undefined, logError: (error: unknown) => void): SettingsStore {
  const file = dataDir === undefined ? undefined : join(dataDir, 'settings.json');
  let current: Promise<AppSettings> | undefined;
  const read = async (): Promise<AppSettings> => {
    if (file === undefined) return defaultSettings;
    try {
      const bytes = await readFile(file);
      if (bytes.length > maxFileBytes) throw new Error(`${file}: ${bytes.length} bytes, more than a settings file holds`);
      // Settings saved by an older version keep what is still valid; a new setting takes its default.
      return appSettingsSchema.parse({ ...defaultSettings, ...(JSON.parse(bytes.toString('utf8')) as object) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logError(error);
      return defaultSettings;
    }
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
