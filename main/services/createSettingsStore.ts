import { mkdir, rename } from 'node:fs/promises';
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

/** What the file held: the settings, the fields this version does not know (kept for a newer one), and whether it was unusable. */
interface ReadSettings {
  readonly settings: AppSettings;
  readonly unknown: Readonly<Record<string, unknown>>;
  readonly damaged: boolean;
}

/**
 * Settings kept in `<dataDir>/settings.json`, or in memory only when there is no data folder.
 * A missing file gives the defaults. Only a regular file of at most 64 KiB is read (a FIFO there would stall
 * every volume:open, which waits for the settings); anything else gives the defaults. Each field valid on its
 * own is kept, so one bad value does not reset the others; what is dropped is reported to `logError`, naming
 * the file. A save keeps the fields this version does not know (a newer version's settings survive a run of
 * this one), and a file that could not be read at all (not JSON, not an object, too big, not a regular file) is
 * first moved aside to `settings.json.damaged` (replacing an older one), never written over.
 * @throws AxialError OUTPUT_WRITE_FAILED from `set` when the file cannot be written.
 */
export function createSettingsStore(dataDir: string | undefined, logError: (error: unknown) => void): SettingsStore {
  const file = dataDir === undefined ? undefined : join(dataDir, 'settings.json');
  let current: Promise<ReadSettings> | undefined;
  const read = async (): Promise<ReadSettings> => {
    const none: ReadSettings = { settings: defaultSettings, unknown: {}, damaged: false };
    if (file === undefined) return none;
    let text: string;
    try {
      text = await readSmallTextFile(file, maxFileBytes, 'a settings file');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return none;
      logError(error);
      return { ...none, damaged: true };
    }
    const found = validFields(text);
    if (found.dropped.length > 0) logError(new AxialError('INPUT_UNREADABLE', `settings left at their defaults: ${found.dropped.join('; ')}`, { file }));
    return found;
  };
  const known = (): Promise<ReadSettings> => (current ??= read());
  return {
    get: async () => (await known()).settings,
    async set(settings) {
      const before = await known();
      if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
      if (file !== undefined) {
        if (before.damaged) await moveAside(file);
        const kept = { ...before.unknown, ...settings };
        await writeFileAtomic(file, [new TextEncoder().encode(`${JSON.stringify(kept, null, 2)}\n`)], [], { ownFile: true });
      }
      current = Promise.resolve({ settings, unknown: before.unknown, damaged: false });
      return settings;
    },
  };
}

/** Moves an unreadable settings file to `<file>.damaged` (as the study list does); gone already is fine. */
async function moveAside(file: string): Promise<void> {
  try {
    await rename(file, `${file}.damaged`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new AxialError('OUTPUT_WRITE_FAILED', `cannot move the unreadable settings file aside: ${(error as Error).message}`, { file, cause: error });
  }
}

/**
 * The settings in `text`, field by field: each that is valid on its own is kept, any other takes its default
 * (settings saved by an older version keep what is still valid; a new setting takes its default), and the fields
 * this version does not know, apart.
 */
function validFields(text: string): ReadSettings & { dropped: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { settings: defaultSettings, unknown: {}, damaged: true, dropped: ['not valid JSON; it will be kept as settings.json.damaged'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { settings: defaultSettings, unknown: {}, damaged: true, dropped: ['not a JSON object; it will be kept as settings.json.damaged'] };
  const found = parsed as Record<string, unknown>;
  const settings: Record<string, unknown> = { ...defaultSettings };
  const dropped: string[] = [];
  for (const key of Object.keys(appSettingsSchema.shape) as (keyof AppSettings)[]) {
    if (!Object.hasOwn(found, key)) continue;
    const field = appSettingsSchema.shape[key].safeParse(found[key]);
    if (field.success) settings[key] = field.data;
    else dropped.push(`${key} (${field.error.issues[0]?.message ?? 'invalid'})`);
  }
  // A newer version's fields: not used here, but written back at the next save.
  const unknown = Object.fromEntries(Object.entries(found).filter(([key]) => !Object.hasOwn(appSettingsSchema.shape, key)));
  return { settings: appSettingsSchema.parse(settings), unknown, damaged: false, dropped };
}
