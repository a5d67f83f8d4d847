import { createHash } from 'node:crypto';
import { access, constants, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { measurementSchema, type Measurement } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { assertNotInput } from '../io/assertNotInput.js';
import { openRegularFile } from '../io/openRegularFile.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';

/** What names a sidecar file: every measurement file ends so (the folder scan leaves them out). */
export const sidecarSuffix = '.axial-measurements.json';

/** Where a volume's measurements may live: the user's own data folder, or beside the study's first file. */
export interface SidecarPaths {
  /** Under `dataDir`, keyed by study, series and volume (by source path where there are no UIDs); undefined without a data folder. */
  readonly own: string | undefined;
  readonly beside: string;
  /** Where earlier versions kept this source's list (a hash of the beside path, for a read-only study): read, and removed once saved elsewhere. */
  readonly legacy: readonly string[];
  /**
   * Where earlier versions kept one list for the whole series, before its volumes and patients were told apart: read
   * (the newest copy wins), never removed, since the series' other volumes may still need it; an empty list is written
   * over it rather than removed while one is there.
   */
  readonly shared: readonly string[];
}

/** The study's, series' and volume's identity, for the key in the data folder. */
export interface SidecarSource {
  readonly uid: string;
  readonly files: readonly string[];
  readonly studyUid?: string | undefined;
  /**
   * Which of the series' volumes, for whom (measurementVolumeKey): one series UID can hold several volumes (a
   * localiser's three planes, echoes) and, after an anonymiser, several patients.
   */
  readonly volumeKey?: string | undefined;
}

/** A sidecar as read: its measurements, and where it was (undefined when there was none). */
export interface ReadSidecar {
  readonly measurements: Measurement[];
  readonly path: string | undefined;
  readonly warnings: string[];
  /** Files that were there but could not be read: they are moved aside before the first save, never overwritten. */
  readonly damaged: readonly string[];
}

/**
 * The most a sidecar read may be (checked before reading): a real list, a few dozen lines and regions, is some
 * hundred KiB; a bigger file is reported as unreadable instead of being read whole.
 */
const maxSidecarBytes = 64 * 1024 * 1024;

const fileSchema = z
  .object({
    format: z.literal('axial-measurements'),
    version: z.literal(1),
    series: z.string().max(200),
    savedAt: z.string().max(40).optional(),
    // What earlier versions wrote and read (up to 1000 measurements of 10,000 points), within the file size checked first.
    measurements: z.array(measurementSchema).max(1000),
  })
  .passthrough();

/**
 * The sidecar's paths for a volume: `<dataDir>/measurements/<study UID>/<series UID>.<volume key>.axial-measurements.json`
 * (or `<dataDir>/measurements/<hash of the beside path>.axial-measurements.json` for a source without both
 * UIDs: a NIfTI, an anonymised series), and beside the study: `<folder of its first file>/<series UID and volume key,
 * or its first file's name without .gz>.axial-measurements.json`.
 */
export function sidecarPaths(source: SidecarSource, dataDir: string | undefined): SidecarPaths {
  const first = resolve(source.files[0] ?? 'volume');
  // The file's name less only a .gz: FLAIR.nii.gz and FLAIR.nrrd side by side are different scans.
  const seriesStem = safeName(source.uid || basename(first).replace(/\.gz$/i, ''));
  const stem = source.uid && source.volumeKey ? `${seriesStem}.${safeName(source.volumeKey)}` : seriesStem;
  const besideOf = (name: string): string => join(dirname(first), `${name}${sidecarSuffix}`);
  const hashedOf = (beside: string): string =>
    join(dataDir!, 'measurements', `${createHash('sha256').update(beside).digest('hex').slice(0, 32)}${sidecarSuffix}`);
  const beside = besideOf(stem);
  const seriesBeside = besideOf(seriesStem);
  const keyed = stem !== seriesStem;
  if (dataDir === undefined) return { own: undefined, beside, legacy: [], shared: keyed ? [seriesBeside] : [] };
  const seriesOwn = source.studyUid && source.uid ? join(dataDir, 'measurements', safeName(source.studyUid), `${seriesStem}${sidecarSuffix}`) : undefined;
  const own = seriesOwn === undefined ? hashedOf(beside) : join(dirname(seriesOwn), `${stem}${sidecarSuffix}`);
  const others = (paths: readonly (string | undefined)[]): string[] => [...new Set(paths.filter((p): p is string => p !== undefined && p !== own))];
  if (!keyed) return { own, beside, legacy: others([hashedOf(beside)]), shared: [] };
  return { own, beside, legacy: [], shared: others([hashedOf(seriesBeside), seriesOwn, seriesBeside]) };
}

/** A UID or file name as one safe path segment. */
function safeName(text: string): string {
  const safe = text.replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').slice(0, 120);
  return safe === '.' || safe === '..' ? '_' : safe;
}

/**
 * Reads the series' sidecar from every place it may be (the data folder, beside the study, an earlier version's
 * place) and takes the newest by its `savedAt` (by the file's modification time where it has none): the Settings
 * switch "beside the study" can leave an older copy in the other place, and reading the current choice's place
 * first would bring that older list back (and the next save would lose the newer one). A damaged copy gives a
 * warning and is moved aside at the next save, never an error; a valid copy elsewhere is still read.
 */
export async function readMeasurementSidecar(paths: SidecarPaths): Promise<ReadSidecar> {
  let newest: { measurements: Measurement[]; path: string; time: number; mtimeNs: bigint } | undefined;
  const warnings: string[] = [];
  const damaged: string[] = [];
  for (const path of new Set([paths.own, paths.beside, ...paths.legacy, ...paths.shared])) {
    if (path === undefined) continue;
    const found = await readCandidate(path);
    if (found === null) continue;
    if (found instanceof Error || found.measurements === null) {
      const why = found instanceof Error ? found.message : 'not a valid measurements file';
      warnings.push(`the measurements file ${basename(path)} could not be read (${why}); it will be kept as ${basename(path)}.damaged`);
      damaged.push(path);
      continue;
    }
    const time = found.savedAt ?? Number(found.mtimeNs / 1_000_000n);
    // Equal times (two saves in one millisecond) go to the file written last.
    if (!newest || time > newest.time || (time === newest.time && found.mtimeNs > newest.mtimeNs))
      newest = { measurements: found.measurements, path, time, mtimeNs: found.mtimeNs };
  }
  return { measurements: newest?.measurements ?? [], path: newest?.path, warnings, damaged };
}

/** One place's sidecar: null where there is none, an Error where it cannot be read, null measurements where it is not valid. */
async function readCandidate(path: string): Promise<{ measurements: Measurement[] | null; savedAt: number | undefined; mtimeNs: bigint } | Error | null> {
  try {
    const handle = await openRegularFile(path);
    try {
      const info = await handle.stat({ bigint: true });
      if (info.size > BigInt(maxSidecarBytes)) return new Error(`${info.size} bytes, more than a measurements file holds`);
      const parsed = parseSidecar(await handle.readFile('utf8'));
      return { measurements: parsed?.measurements ?? null, savedAt: parsed?.savedAt, mtimeNs: info.mtimeNs };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return error instanceof Error ? error : new Error(String(error));
  }
}

function parseSidecar(text: string): { measurements: Measurement[]; savedAt: number | undefined } | null {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    const savedAt = parsed.data.savedAt === undefined ? Number.NaN : Date.parse(parsed.data.savedAt);
    return { measurements: parsed.data.measurements, savedAt: Number.isFinite(savedAt) ? savedAt : undefined };
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
  /** Damaged sidecars found on loading, moved aside (to `.damaged`) before this write. */
  readonly damaged?: readonly string[] | undefined;
  /** The user's setting: beside the study when its folder can be written, else (the default) in the data folder. */
  readonly besideStudy: boolean;
}

/**
 * Writes the sidecar atomically in the app's data folder, or, when the user chose `besideStudy`, beside the
 * study when its folder is writable (else in the data folder). Without a data folder it goes beside the study.
 * Saved beside the study, the data folder's copies go; saved in the data folder, a copy beside the study is left
 * alone (the newest-wins read makes it harmless); an earlier version's copies of this source's list (`legacy`) go
 * too, its series-wide lists (`shared`) never. An empty list removes every copy Axial may own (the data folder's,
 * and the one beside the study where its folder is writable), so an older list cannot come back; where a series-wide
 * list is there, the empty list is written instead, so that one cannot come back either.
 * @throws AxialError OUTPUT_WRITE_FAILED when no place can be written.
 */
export async function writeMeasurementSidecar(params: WriteSidecarParams): Promise<{ path: string; beside: boolean }> {
  const { paths } = params;
  for (const damaged of params.damaged ?? []) await rename(damaged, `${damaged}.damaged`).catch(() => undefined);
  const sidecar = { format: 'axial-measurements', version: 1, series: params.series, savedAt: new Date().toISOString(), measurements: params.measurements };
  const bytes = new TextEncoder().encode(`${JSON.stringify(sidecar, null, 1)}\n`);
  const removeDataFolderCopies = async (written: string): Promise<void> => {
    for (const path of new Set([paths.own, ...paths.legacy])) if (path && path !== written) await rm(path, { force: true });
  };
  const besideWritable = await isWritableFolder(dirname(paths.beside));
  // An earlier version's series-wide list would come back for this volume once its own file went: it is written empty instead.
  const shadowed = await anyThere(paths.shared);
  if (params.measurements.length === 0 && !shadowed) {
    await removeDataFolderCopies(paths.beside);
    if (besideWritable) await removeCopy(paths.beside, params.inputs);
    return paths.own && !(params.besideStudy && besideWritable) ? { path: paths.own, beside: false } : { path: paths.beside, beside: true };
  }
  if ((params.besideStudy || !paths.own) && besideWritable) {
    try {
      await writeFileAtomic(paths.beside, [bytes], params.inputs, { ownFile: true });
      await removeDataFolderCopies(paths.beside);
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
  await writeFileAtomic(paths.own, [bytes], params.inputs, { ownFile: true });
  await removeDataFolderCopies(paths.own);
  return { path: paths.own, beside: false };
}

async function anyThere(paths: readonly string[]): Promise<boolean> {
  return (await Promise.allSettled(paths.map((path) => stat(path)))).some((found) => found.status === 'fulfilled');
}

/** Removes one copy, never one of the study's own files. */
async function removeCopy(path: string, inputs: readonly string[]): Promise<void> {
  await assertNotInput(path, inputs);
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
