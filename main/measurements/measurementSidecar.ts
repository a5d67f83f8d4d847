import { createHash } from 'node:crypto';
import { access, constants, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { measurementSchema, type Measurement } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { assertNotInput } from '../io/assertNotInput.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';

/** What names a sidecar file: every measurement file ends so (the folder scan leaves them out). */
export const sidecarSuffix = '.axial-measurements.json';

/** Where a series' measurements may live: the user's own data folder, or beside the study's first file. */
export interface SidecarPaths {
  /** Under `dataDir`, keyed by study and series UID (by source path where there are none); undefined without a data folder. */
  readonly own: string | undefined;
  readonly beside: string;
  /** Where earlier versions kept a read-only study's sidecar (a hash of `beside`): read, and removed once saved elsewhere. */
  readonly legacy: string | undefined;
}

/** The study's and series' identity, for the key in the data folder. */
export interface SidecarSource {
  readonly uid: string;
  readonly files: readonly string[];
  readonly studyUid?: string | undefined;
}

/** A sidecar as read: its measurements, and where it was (undefined when there was none). */
export interface ReadSidecar {
  readonly measurements: Measurement[];
  readonly path: string | undefined;
  readonly warnings: string[];
  /** A file that was there but could not be read: it is moved aside before the first save, never overwritten. */
  readonly damaged: string | undefined;
}

const fileSchema = z
  .object({
    format: z.literal('axial-measurements'),
    version: z.literal(1),
    series: z.string().max(200),
    measurements: z.array(measurementSchema).max(1000),
  })
  .passthrough();

/**
 * The sidecar's paths for a series: `<dataDir>/measurements/<study UID>/<series UID>.axial-measurements.json`
 * (or `<dataDir>/measurements/<hash of the beside path>.axial-measurements.json` for a source without both
 * UIDs: a NIfTI, an anonymised series), and beside the study: `<folder of its first file>/<series UID, or its
 * first file's name without .gz>.axial-measurements.json`.
 */
export function sidecarPaths(source: SidecarSource, dataDir: string | undefined): SidecarPaths {
  const first = resolve(source.files[0] ?? 'volume');
  // The file's name less only a .gz: FLAIR.nii.gz and FLAIR.nrrd side by side are different scans.
  const stem = safeName(source.uid || basename(first).replace(/\.gz$/i, ''));
  const beside = join(dirname(first), `${stem}${sidecarSuffix}`);
  if (dataDir === undefined) return { own: undefined, beside, legacy: undefined };
  const legacy = join(dataDir, 'measurements', `${createHash('sha256').update(beside).digest('hex').slice(0, 32)}${sidecarSuffix}`);
  const own = source.studyUid && source.uid ? join(dataDir, 'measurements', safeName(source.studyUid), `${safeName(source.uid)}${sidecarSuffix}`) : legacy;
  return { own, beside, legacy };
}

/** A UID or file name as one safe path segment. */
function safeName(text: string): string {
  const safe = text.replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').slice(0, 120);
  return safe === '.' || safe === '..' ? '_' : safe;
}

/**
 * Reads the series' sidecar from where it is saved first (`besideStudy`: beside the study, else the data folder),
 * then from the other places, so lists saved under another setting or by an earlier version are found;
 * a damaged one gives [] and a warning, never an error.
 */
export async function readMeasurementSidecar(paths: SidecarPaths, besideStudy: boolean): Promise<ReadSidecar> {
  const order = besideStudy ? [paths.beside, paths.own, paths.legacy] : [paths.own, paths.beside, paths.legacy];
  for (const path of new Set(order)) {
    if (path === undefined) continue;
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : error));
    if (text === null) continue;
    const parsed = text instanceof Error ? null : parseSidecar(text);
    if (parsed) return { measurements: parsed, path, warnings: [], damaged: undefined };
    const why = text instanceof Error ? text.message : 'not a valid measurements file';
    return {
      measurements: [],
      path,
      warnings: [`the measurements file ${basename(path)} could not be read (${why}); it will be kept as ${basename(path)}.damaged`],
      damaged: path,
    };
  }
  return { measurements: [], path: undefined, warnings: [], damaged: undefined };
}

function parseSidecar(text: string): Measurement[] | null {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.measurements : null;
  } catch {
    return null;
  }
}

export interface WriteSidecarParams {
  readonly paths: SidecarPaths;
  readonly series: string;
  readonly measurements: readonly Measurement[];
  /** The study's files: never written over. */
  readonly inputs: readonly string[];
  /** A damaged sidecar found on loading, moved aside (to `.damaged`) before this write. */
  readonly damaged?: string | undefined;
  /** The user's setting: beside the study when its folder can be written, else (the default) in the data folder. */
  readonly besideStudy: boolean;
}

/**
 * Writes the sidecar atomically in the app's data folder, or, when the user chose `besideStudy`, beside the
 * study when its folder is writable (else in the data folder). Without a data folder it goes beside the study.
 * An empty list removes the file instead of leaving an empty one behind. An earlier version's copy in the data
 * folder is removed once the list is saved elsewhere; a sidecar beside the study is never removed unasked.
 * @throws AxialError OUTPUT_WRITE_FAILED when no place can be written.
 */
export async function writeMeasurementSidecar(params: WriteSidecarParams): Promise<{ path: string; beside: boolean }> {
  const { paths, damaged } = params;
  if (damaged) await rename(damaged, `${damaged}.damaged`).catch(() => undefined);
  const sidecar = { format: 'axial-measurements', version: 1, series: params.series, savedAt: new Date().toISOString(), measurements: params.measurements };
  const body = `${JSON.stringify(sidecar, null, 1)}\n`;
  const bytes = new TextEncoder().encode(body);
  const clearLegacy = async (written: string): Promise<void> => {
    if (paths.legacy && paths.legacy !== written) await rm(paths.legacy, { force: true });
  };
  if ((params.besideStudy || !paths.own) && (await isWritableFolder(dirname(paths.beside)))) {
    try {
      await writeOrRemove(paths.beside, bytes, params);
      if (paths.own) await rm(paths.own, { force: true });
      await clearLegacy(paths.beside);
      return { path: paths.beside, beside: true };
    } catch (error) {
      if (!paths.own) throw error;
    }
  }
  if (!paths.own)
    throw new AxialError('OUTPUT_WRITE_FAILED', 'the study folder is read-only and there is no app data folder to keep measurements in', {
      file: paths.beside,
    });
  await mkdir(dirname(paths.own), { recursive: true });
  await writeOrRemove(paths.own, bytes, params);
  await clearLegacy(paths.own);
  return { path: paths.own, beside: false };
}

async function writeOrRemove(path: string, bytes: Uint8Array, params: WriteSidecarParams): Promise<void> {
  if (params.measurements.length > 0) return writeFileAtomic(path, [bytes], params.inputs);
  await assertNotInput(path, params.inputs);
  await rm(path, { force: true });
}

/**
 * Whether new files can go in `folder`: the OS lets us write there, and the
 * folder has a write bit for someone. The second test keeps a folder meant
 * to be read-only (a copied CD, a shared archive) untouched even for a
 * process that could write anyway (root).
 */
export async function isWritableFolder(folder: string): Promise<boolean> {
  try {
    await access(folder, constants.W_OK);
    const info = await stat(folder);
    return info.isDirectory() && (process.platform === 'win32' || (info.mode & 0o222) !== 0);
  } catch {
    return false;
  }
}
