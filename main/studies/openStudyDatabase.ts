import { readFileSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initSqlJs from 'sql.js';
import { AxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';

export type StudyDatabase = initSqlJs.Database;

/** A study list file larger than this is refused as damaged (200 studies with thumbnails take ~2 MB). */
export const maxDatabaseBytes = 64 << 20;

/** The layout this version writes; a file of another version is moved aside (no migration yet: there is one). */
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
  /** Why the file on disk was not used (moved aside as `<file>.damaged`), when it was not. */
  readonly warning?: string;
}

/**
 * Opens the study list database from `file` (a new, empty one when there is none, or when `file` is
 * undefined: kept in memory only). The file is hostile: one larger than {@link maxDatabaseBytes}, one
 * SQLite cannot read, one that fails `PRAGMA integrity_check` or one of another layout is moved aside
 * to `<file>.damaged` (replacing an older one) and a new list is started, with a warning saying so.
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
    problem = opened.problem;
  }
  await rename(file, `${file}.damaged`);
  return { db: fresh(), warning: `the study list ${file} could not be used (${problem}); it was moved to ${file}.damaged and a new list started` };
}

/** The database in `bytes` when SQLite reads it whole and it has this version's layout; else what is wrong. */
function tryOpen(SQL: initSqlJs.SqlJsStatic, bytes: Uint8Array): { db: StudyDatabase } | { problem: string } {
  let db: StudyDatabase | undefined;
  try {
    db = new SQL.Database(bytes);
    const check = String(db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0] ?? '');
    if (check !== 'ok') throw new Error(`integrity check: ${check.slice(0, 200)}`);
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0]);
    if (version !== schemaVersion) throw new Error(`layout version ${version}, not ${schemaVersion}`);
    db.exec(schema);
    return { db };
  } catch (error) {
    db?.close();
    return { problem: (error as Error).message };
  }
}
