import { createHash } from 'node:crypto';
import { access, constants, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { measurementSchema, type Measurement } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { assertNotInput } from '../io/assertNotInput.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { ScannedSeries } from '../input/scanInput.js';

/** What names a sidecar file: every measurement file ends so (the folder scan leaves them out). */
export const sidecarSuffix = '.axial-measurements.json';

/** Where a series' measurements live: beside its first file, or (when that folder is read-only) in the app's data folder. */
export interface SidecarPaths {
  readonly beside: string;
  /** Per source under `dataDir`; undefined when the host keeps no data folder. */
  readonly fallback: string | undefined;
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
 * The sidecar's paths for a series: `<folder of its first file>/<series UID,
 * or its first file's name without .gz>.axial-measurements.json`, and the
 * fallback `<dataDir>/measurements/<hash of that path>.axial-measurements.json`.
 */
export function sidecarPaths(series: Pick<ScannedSeries, 'uid' | 'files'>, dataDir: string | undefined): SidecarPaths {
  const first = resolve(series.files[0] ?? 'volume');
  // The file's name less only a .gz: FLAIR.nii.gz and FLAIR.nrrd side by side are different scans.
  const stem = (series.uid || basename(first).replace(/\.gz$/i, '')).replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').slice(0, 120);
  const beside = join(dirname(first), `${stem}${sidecarSuffix}`);
  const key = createHash('sha256').update(beside).digest('hex').slice(0, 32);
  return { beside, fallback: dataDir === undefined ? undefined : join(dataDir, 'measurements', `${key}${sidecarSuffix}`) };
}

/** Reads the series' sidecar (beside the study first, then the fallback); a damaged one gives [] and a warning, never an error. */
export async function readMeasurementSidecar(paths: SidecarPaths): Promise<ReadSidecar> {
  for (const path of [paths.beside, paths.fallback]) {
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
}

/**
 * Writes the sidecar atomically beside the study when its folder is writable,
 * else in the app's data folder. An empty list removes the file instead of
 * leaving an empty one behind.
 * @throws AxialError OUTPUT_WRITE_FAILED when neither place can be written.
 */
export async function writeMeasurementSidecar(params: WriteSidecarParams): Promise<{ path: string; beside: boolean }> {
  const { paths, damaged } = params;
  if (damaged) await rename(damaged, `${damaged}.damaged`).catch(() => undefined);
  const sidecar = { format: 'axial-measurements', version: 1, series: params.series, savedAt: new Date().toISOString(), measurements: params.measurements };
  const body = `${JSON.stringify(sidecar, null, 1)}\n`;
  const bytes = new TextEncoder().encode(body);
  if (await isWritableFolder(dirname(paths.beside))) {
    try {
      await writeOrRemove(paths.beside, bytes, params);
      if (paths.fallback) await rm(paths.fallback, { force: true });
      return { path: paths.beside, beside: true };
    } catch (error) {
      if (!paths.fallback) throw error;
    }
  }
  if (!paths.fallback)
    throw new AxialError('OUTPUT_WRITE_FAILED', 'the study folder is read-only and there is no app data folder to keep measurements in', {
      file: paths.beside,
    });
  await mkdir(dirname(paths.fallback), { recursive: true });
  await writeOrRemove(paths.fallback, bytes, params);
  return { path: paths.fallback, beside: false };
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
