import { mkdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { RecentStudy } from '../../core/contract.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { AxialError } from '../errors/AxialError.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { encodeGrayPng } from './encodeGrayPng.js';
import type { Thumbnail } from './middleSliceThumbnail.js';
import { openStudyDatabase, type StudyDatabase } from './openStudyDatabase.js';
import { listStudies } from './listStudies.js';
import { studyKeyOf } from './studyKeyOf.js';

/** A series as it was loaded, for the recent list. */
export interface OpenedSeries {
  /** Tells the study's series apart: the SeriesInstanceUID, else the series' first file. */
  readonly key: string;
  readonly description: string;
  readonly number: number | null;
  readonly modality: string;
  readonly images: number;
  readonly dimensions: Vec3;
  readonly thumbnail: Thumbnail | null;
}

/** What is recorded when a series loads: the input the user opened, its study, and the series. */
export interface OpenedStudy {
  /** The file or folder the user opened (what studies:open opens again). */
  readonly path: string;
  /** The StudyInstanceUID ('' when the files have none: the study is then known by `path`). Names and dates below are as the files hold them (DICOM PN, DA). */
  readonly studyUid: string;
  readonly patientName: string;
  readonly patientId: string;
  readonly birthDate: string;
  readonly studyDate: string;
  readonly description: string;
  readonly series: OpenedSeries;
}

/** The recent studies, in a SQLite database (sql.js) kept in the app's data folder. */
export interface StudyList {
  /**
   * Adds or refreshes a study and one of its series (now the most recent); answers the study's key.
   * The study's path becomes `opened.path` only when that is the same or a folder above it.
   */
  record(opened: OpenedStudy): Promise<string>;
  /** The studies, most recently opened first; `search` (case-insensitive, ASCII) matches patient name or ID, study or series description, modality. */
  list(search?: string): Promise<RecentStudy[]>;
  /**
   * Takes a study off the list; false when there was none by that key.
   * @throws AxialError OUTPUT_WRITE_FAILED when the list is a newer version's, which this version leaves unchanged.
   */
  remove(key: string): Promise<boolean>;
  /**
   * Takes every study off the list (File › Recent › Clear Recent): names and birth dates go from the file too.
   * @throws AxialError OUTPUT_WRITE_FAILED when the list is a newer version's, which this version leaves unchanged.
   */
  clear(): Promise<void>;
  /** The input Open opens for a study: the one opened that held most of it (see record); undefined for an unknown key. */
  pathOf(key: string): Promise<string | undefined>;
  /** Resolves once every change so far is on disk. */
  flush(): Promise<void>;
  /** Writes what is pending and frees the database. */
  close(): Promise<void>;
}

export interface StudyListOptions {
  /** Hears a damaged list moved aside and failed writes (default console.warn). */
  readonly logError?: (error: unknown) => void;
  /** How many studies are kept; the least recently opened go first (default 200). */
  readonly maxStudies?: number;
  /** Now, for tests (default the clock). */
  readonly now?: () => Date;
}

/** The file the list lives in, in the app's data folder. */
export const studyListFileName = 'recent-studies.sqlite';

/**
 * Whether `next` (the input just opened) may replace `recorded` as the study's path: when it is the same
 * or a folder above it. Opening one file of a study, or a sibling folder, leaves Open on the input
 * that held more of it.
 */
export function replacesPath(recorded: string, next: string): boolean {
  const below = relative(resolve(next), resolve(recorded));
  return below === '' || (!below.startsWith('..') && !isAbsolute(below));
}

/**
 * Opens the recent study list in `dataDir` (in memory only when undefined). The database is loaded
 * whole at start (sql.js works in memory) and written back atomically, with writeFileAtomic, after
 * each change: the write is queued behind the answer (setImmediate), and changes made meanwhile go
 * out in the next write. A damaged or oversized file is moved aside, a newer version's is only read (see
 * openStudyDatabase).
 */
export function createStudyList(dataDir: string | undefined, options: StudyListOptions = {}): StudyList {
  const file = dataDir === undefined ? undefined : join(dataDir, studyListFileName);
  const log = options.logError ?? ((error: unknown) => console.warn(error));
  const maxStudies = options.maxStudies ?? 200;
  const now = options.now ?? (() => new Date());
  // A newer version's list is shown, never written (see openStudyDatabase).
  let writable = true;
  const opened = openStudyDatabase(file).then(({ db, warning, readOnly }) => {
    if (warning !== undefined) log(new Error(warning));
    writable = readOnly !== true;
    return db;
  });
  // One operation at a time, in order: a list never sees half a record.
  let queue: Promise<unknown> = opened;
  const run = <T>(work: (db: StudyDatabase) => T | Promise<T>): Promise<T> => {
    const next = queue.then(() => opened).then(work);
    queue = next.catch(() => undefined);
    return next;
  };

  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  const save = (): void => {
    if (file === undefined || !writable || dirty) return;
    dirty = true;
    writing = writing.then(
      () =>
        new Promise<void>((done) =>
          setImmediate(() => {
            dirty = false;
            // The data folder is made on the first write (a fresh install has none).
            void run((db) => db.export())
              .then(async (bytes) => {
                await mkdir(dirname(file), { recursive: true });
                await writeFileAtomic(file, [bytes], [], { ownFile: true });
              })
              .catch(log)
              .finally(done);
          }),
        ),
    );
  };

  // Taking studies off a list that is never written would last only until Axial closes: the names would come back.
  const refuseReadOnly = (): void => {
    if (writable || file === undefined) return;
    throw new AxialError(
      'OUTPUT_WRITE_FAILED',
      `the study list ${file} was saved by a newer version of Axial, which this version leaves unchanged; remove studies from it in that version`,
      { file },
    );
  };

  let lastRecorded = 0;
  return {
    record: (study) => {
      // Keyed in the queue's turn, so records keep their order (the key waits on the file system).
      const keyed = studyKeyOf(study);
      return run(async (db) => {
        const key = await keyed;
        // Newest first needs distinct times: two studies recorded within one millisecond kept no order.
        lastRecorded = Math.max(now().getTime(), lastRecorded + 1);
        const at = new Date(lastRecorded).toISOString();
        const { series } = study;
        const recorded = db.exec('SELECT path FROM studies WHERE key = ?', [key])[0]?.values[0]?.[0];
        const path = typeof recorded === 'string' && !replacesPath(recorded, study.path) ? recorded : resolve(study.path);
        db.exec('BEGIN');
        try {
          db.run(
            `INSERT INTO studies (key, study_uid, path, source_name, patient_name, patient_id, birth_date, study_date, description, opened_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET path = excluded.path, source_name = excluded.source_name, patient_name = excluded.patient_name,
               patient_id = excluded.patient_id, birth_date = excluded.birth_date, study_date = excluded.study_date,
               description = excluded.description, opened_at = excluded.opened_at`,
            [key, study.studyUid, path, basename(path), study.patientName, study.patientId, study.birthDate, study.studyDate, study.description, at],
          );
          db.run(
            `INSERT OR REPLACE INTO series (study_key, series_key, description, number, modality, images, dimensions, thumbnail, opened_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              key,
              series.key,
              series.description,
              series.number,
              series.modality,
              series.images,
              series.dimensions.join('x'),
              series.thumbnail && encodeGrayPng(series.thumbnail),
              at,
            ],
          );
          db.run(`DELETE FROM studies WHERE key IN (SELECT key FROM studies ORDER BY opened_at DESC LIMIT -1 OFFSET ?)`, [maxStudies]);
          db.run('DELETE FROM series WHERE study_key NOT IN (SELECT key FROM studies)');
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
        save();
        return key;
      });
    },
    list: (search) => run((db) => listStudies(db, search)),
    remove: (key) =>
      run((db) => {
        refuseReadOnly();
        let removed: boolean;
        db.exec('BEGIN');
        try {
          db.run('DELETE FROM series WHERE study_key = ?', [key]);
          db.run('DELETE FROM studies WHERE key = ?', [key]);
          removed = db.getRowsModified() > 0;
          db.exec('COMMIT');
        } catch (error) {
          // Left open, the transaction would make every later BEGIN fail: the list would stop recording.
          db.exec('ROLLBACK');
          throw error;
        }
        if (removed) save();
        return removed;
      }),
    clear: () =>
      run((db) => {
        refuseReadOnly();
        db.exec('BEGIN');
        try {
          db.run('DELETE FROM series');
          db.run('DELETE FROM studies');
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
        // Deleted rows stay in SQLite's free pages until rewritten: the names must leave the file too.
        db.exec('VACUUM');
        save();
      }),
    pathOf: (key) =>
      run((db) => {
        const row = db.exec('SELECT path FROM studies WHERE key = ?', [key])[0]?.values[0];
        return row === undefined ? undefined : String(row[0]);
      }),
    flush: async () => {
      await queue;
      await writing;
    },
    close: async () => {
      await queue;
      await writing;
      (await opened).close();
    },
  };
}
