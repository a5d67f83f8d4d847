import { readFileSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initSqlJs from 'sql.js';
import { AxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';

export type StudyDatabase = initSqlJs.Database;

/** A study list file larger than this is refused as damaged (200 studies with thumbnails take ~2 MB). */
export const maxDatabaseBytes = 64 << 20;

/**
 * The layout this version writes; a file of an older or unknown version is moved aside (no migration yet: there is
 * one), one of a newer version is only read (see openStudyDatabase).
 */
const schemaVersion = 1;

const schema = `
CREATE TABLE IF NOT EXISTS studies (
  key TEXT PRIMARY KEY,
  study_uid TEXT NOT NULL,
  path TEXT NOT NULL,
  source_name TEXT NOT NULL,
  patient_name TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  study_date TEXT NOT NULL,
  description TEXT NOT NULL,
  opened_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS studies_by_opened ON studies (opened_at DESC);
CREATE TABLE IF NOT EXISTS series (
  study_key TEXT NOT NULL,
  series_key TEXT NOT NULL,
  description TEXT NOT NULL,
  number INTEGER,
  modality TEXT NOT NULL,
  images INTEGER NOT NULL,
  dimensions TEXT NOT NULL,
  thumbnail BLOB,
  opened_at TEXT NOT NULL,
  PRIMARY KEY (study_key, series_key)
);
PRAGMA user_version = ${schemaVersion};
`;

let sqlJs: Promise<initSqlJs.SqlJsStatic> | undefined;

/**
 * sql.js, SQLite compiled to WebAssembly: its .wasm is read here and handed over (rather than fetched
 * by its loader), so it loads the same from node_modules, from the packaged app's asar, and in Vitest.
 */
function loadSqlJs(): Promise<initSqlJs.SqlJsStatic> {
  sqlJs ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
    const wasm = readFileSync(wasmPath);
    return initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer });
  })();
  return sqlJs;
}

export interface OpenedStudyDatabase {
  readonly db: StudyDatabase;
  /** Why the file on disk was not used (moved aside as `<file>.damaged`), or is only read, when so: one line, for the log. */
  readonly warning?: string;
  /** The file belongs to a newer version of Axial: it must not be written (`db` is its list, or an empty one in memory). */
  readonly readOnly?: boolean;
}

/**
 * Opens the study list database from `file` (a new, empty one when there is none, or when `file` is
 * undefined: kept in memory only). The file is hostile: one larger than {@link maxDatabaseBytes}, one
 * SQLite cannot read, one that fails `PRAGMA integrity_check` or one of another layout is moved aside
 * to `<file>.damaged` (replacing an older one) and a new list is started, with a warning saying so. A file a newer
 * version wrote (a higher `user_version`) is never moved nor written: where this version can read its studies it is
 * shown as it is, else an empty list is kept in memory; `readOnly` says so, and the warning says why in plain words.
 */
export async function openStudyDatabase(file: string | undefined): Promise<OpenedStudyDatabase> {
  const SQL = await loadSqlJs();
  const fresh = (): StudyDatabase => {
    const db = new SQL.Database();
    db.exec(schema);
    return db;
  };
  if (file === undefined) return { db: fresh() };
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { db: fresh() };
    throw new AxialError('INPUT_UNREADABLE', `cannot read the study list: ${(error as Error).message}`, { file, cause: error });
  }
  let problem: string;
  if (size > maxDatabaseBytes) {
    problem = `it is ${size} bytes, more than the ${maxDatabaseBytes} a study list may take`;
  } else {
    const bytes = await readFileRegion(file, 0, size);
    const opened = tryOpen(SQL, bytes);
    if ('db' in opened) return { db: opened.db };
    if ('newer' in opened) return newerDatabase(opened.newer, file, fresh);
    problem = opened.problem;
  }
  await rename(file, `${file}.damaged`);
  return { db: fresh(), warning: `the study list ${file} could not be used (${problem}); it was moved to ${file}.damaged and a new list started` };
}

/** What a newer version's list gives: its studies where their columns are there, else an empty list in memory; never written. */
function newerDatabase(found: { db: StudyDatabase; version: number }, file: string, fresh: () => StudyDatabase): OpenedStudyDatabase {
  const newer = `the study list ${file} was saved by a newer version of Axial (layout ${found.version}, this version reads ${schemaVersion})`;
  if (readsAsOurs(found.db))
    return { db: found.db, readOnly: true, warning: `${newer}; it is shown but left unchanged, and studies opened now are not added to it` };
  found.db.close();
  return {
    db: fresh(),
    readOnly: true,
    warning: `${newer}; this version cannot read it, so it is left unchanged and studies opened now are listed until Axial closes`,
  };
}

/** The columns of this version's layout (the schema above), by table. */
const columnsOf = {
  studies: ['key', 'study_uid', 'path', 'source_name', 'patient_name', 'patient_id', 'birth_date', 'study_date', 'description', 'opened_at'],
  series: ['study_key', 'series_key', 'description', 'number', 'modality', 'images', 'dimensions', 'thumbnail', 'opened_at'],
};

/** Whether every column this version reads and writes is in the database (a newer layout that only added some is). */
function readsAsOurs(db: StudyDatabase): boolean {
  try {
    for (const [table, names] of Object.entries(columnsOf)) db.exec(`SELECT ${names.join(', ')} FROM ${table} LIMIT 1`);
    return true;
  } catch {
    return false;
  }
}

/** The database in `bytes` when SQLite reads it whole and it has this version's layout (or a newer one's); else what is wrong. */
function tryOpen(
  SQL: initSqlJs.SqlJsStatic,
  bytes: Uint8Array,
): { db: StudyDatabase } | { newer: { db: StudyDatabase; version: number } } | { problem: string } {
  let db: StudyDatabase | undefined;
  try {
    db = new SQL.Database(bytes);
    const check = String(db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0] ?? '');
    if (check !== 'ok') throw new Error(`integrity check: ${check.slice(0, 200)}`);
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0]);
    if (version > schemaVersion) return { newer: { db, version } };
    if (version !== schemaVersion) throw new Error(`layout version ${version}, not ${schemaVersion}`);
    db.exec(schema);
    return { db };
  } catch (error) {
    db?.close();
    return { problem: (error as Error).message };
  }
}
