import { stat } from 'node:fs/promises';
import type { ArgumentsOf, ResultTypes, ScanResult } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import type { LoaderSeries } from '../loader/createVolumeLoader.js';
import { createStudyList, type OpenedStudy } from '../studies/createStudyList.js';
import type { Thumbnail } from '../studies/middleSliceThumbnail.js';
import type { Volume } from '../volume/Volume.js';
import { boundedMap } from './serviceHelpers.js';

type StudyChannel = 'studies:list' | 'studies:remove' | 'studies:open';

export interface StudyHandlerContext {
  /** The app's data folder: the list lives there (in memory only when undefined). */
  readonly dataDir: string | undefined;
  readonly logError: (error: unknown) => void;
  /** Scans an input as `volume:open` does once it has a path (progress events, Recent menu, a scan id). */
  readonly openPath: (path: string) => Promise<ScanResult>;
}

/** A series just loaded, with what the loader's worker made of it. */
export interface LoadedSeries {
  readonly series: Pick<LoaderSeries, 'uid' | 'description' | 'modality' | 'format' | 'files' | 'images' | 'timePoints'>;
  readonly volume: Volume;
  readonly thumbnail: Thumbnail | null;
}

export interface StudyHandlers {
  readonly handlers: { readonly [C in StudyChannel]: (args: ArgumentsOf<C>) => Promise<ResultTypes[C]> };
  /** Tells which input a scan came from (`volume:open` calls this with the path it scanned). */
  opened(scanId: string, path: string): void;
  /** Records a loaded series of a scan on the recent list, behind the load's answer; failures are logged, never the load's. */
  loaded(scanId: string, loaded: LoadedSeries): void;
  /** Empties the list, after the records under way, and resolves once that is on disk. */
  clear(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The recent study list's channels. A study is recorded each time one of its series loads (patient,
 * study and series from the files, the thumbnail made on the loader's worker); `studies:open` takes a
 * key and opens the path main recorded for it, so no path ever comes from the page.
 */
export function createStudyHandlers(context: StudyHandlerContext): StudyHandlers {
  const list = createStudyList(context.dataDir, { logError: context.logError });
  const scanPaths = boundedMap<string>(64);
  // Records still being made: a list waits for them, so what was loaded is listed.
  const recording = new Set<Promise<unknown>>();
  const settled = async (): Promise<void> => void (await Promise.all(recording));

  return {
    handlers: {
      async 'studies:list'({ search }) {
        await settled();
        return { studies: await list.list(search) };
      },
      async 'studies:remove'({ key }) {
        await settled();
        return { removed: await list.remove(key) };
      },
      async 'studies:open'({ key }) {
        await settled();
        const path = await list.pathOf(key);
        if (path === undefined) throw new AxialError('UNKNOWN_ID', 'that study is no longer on the recent list');
        // Asked without blocking: a network folder that no longer answers must not hold up the other calls.
        if ((await stat(path).catch(() => null)) === null) {
          throw new AxialError('INPUT_NOT_FOUND', 'the study is no longer there (moved, deleted, or its disc or network folder is not connected)', {
            file: path,
          });
        }
        return context.openPath(path);
      },
    },
    opened: (scanId, path) => scanPaths.set(scanId, path),
    loaded(scanId, loaded) {
      const path = scanPaths.get(scanId);
      if (path === undefined) return;
      const made = openedStudyOf(path, loaded)
        .then((study) => list.record(study))
        .catch(context.logError);
      recording.add(made);
      void made.finally(() => recording.delete(made));
    },
    async clear() {
      await settled();
      await list.clear();
      await list.flush();
    },
    async dispose() {
      await settled();
      await list.close();
    },
  };
}

/** The study and series of a loaded series, from its metadata (a DICOM series' patient and study; a NIfTI/NRRD has none). */
async function openedStudyOf(path: string, { series, volume, thumbnail }: LoadedSeries): Promise<OpenedStudy> {
  const meta = volume.metadata;
  const first = series.files[0];
  const text = (value: string | undefined): string => (value ?? '').trim().slice(0, 256);
  return {
    path,
    studyUid: text(meta.studyInstanceUid),
    patientName: text(meta.patientName),
    patientId: text(meta.patientId),
    birthDate: text(meta.patientBirthDate),
    studyDate: text(meta.studyDate),
    description: text(meta.studyDescription),
    series: {
      key: series.uid || first || path,
      description: text(series.description || meta.seriesDescription),
      number: meta.seriesNumber ?? null,
      modality: text(series.modality || meta.modality),
      // Images, not files: an enhanced multi-frame file holds the whole series. A NIfTI/NRRD says its slices once read.
      images: series.images ?? volume.dimensions[2] * (series.timePoints ?? 1),
      dimensions: [...volume.dimensions],
      thumbnail,
    },
  };
}
