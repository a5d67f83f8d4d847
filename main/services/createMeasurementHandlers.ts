import { basename } from 'node:path';
import type { ArgumentsOf, Measurement, ResultTypes } from '../../core/contract.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { AppServiceDeps } from './AppServices.js';
import type { VolumeEntry } from './createMaskHandlers.js';
import type { SettingsStore } from './createSettingsStore.js';
import { measurementsCsv } from '../measurements/measurementsCsv.js';
import { measurementVolumeKey } from '../measurements/measurementVolumeKey.js';
import { readMeasurementSidecar, sidecarPaths, writeMeasurementSidecar, type SidecarPaths } from '../measurements/measurementSidecar.js';
import { withExtension } from './serviceHelpers.js';

type MeasurementChannel = 'measurements:save' | 'measurements:export';
type MeasurementHandlers = { readonly [C in MeasurementChannel]: (args: ArgumentsOf<C>) => Promise<ResultTypes[C]> };

export interface MeasurementContext {
  readonly deps: Pick<AppServiceDeps, 'chooseSavePath' | 'dataDir'>;
  readonly volumeEntry: (volumeId: string) => VolumeEntry;
  /** Whether the user keeps measurements beside the study (`measurementsBesideStudy`). */
  readonly settings: SettingsStore;
}

/** Main's copy of a volume's measurements and where they are kept: shared by every time point of a 4D series. */
interface MeasurementEntry {
  measurements: readonly Measurement[];
  readonly paths: SidecarPaths;
  /** Damaged sidecars found on loading, moved aside at the first save. */
  damaged: readonly string[];
  /**
   * `measurementsBesideStudy` as it was when the series was last loaded: the Settings dialog's "changes apply from the next
   * series you open" holds for where its list goes too, so switching it on never moves an open series' list out of
   * the data folder into a shared study folder (undefined until the first load or save reads the setting).
   */
  besideStudy: boolean | undefined;
}

export interface MeasurementService {
  readonly handlers: MeasurementHandlers;
  /**
   * A newly loaded volume's list (for its header): main's copy when one is held for its sidecar (another time point
   * of the series, saved last), else the sidecar read from disk; a damaged sidecar gives [] and a warning. `opened`
   * is false for another time point of a series already open (a slider, cine or prefetch step): that keeps the place
   * its list is saved in, which only opening the series again moves to where the setting now says.
   */
  load(entry: VolumeEntry, how: { readonly opened: boolean }): Promise<{ measurements: Measurement[]; warnings: string[] }>;
}

/**
 * The measurements:* channels. Main's copy of a list is keyed by its sidecar's path, which every time point of a
 * 4D series shares (each time point is its own volume, and one loaded before the last save must not export an
 * older list); it is kept while a volume of that series is, and every save rewrites the sidecar. The CSV export
 * writes what was saved last.
 */
export function createMeasurementHandlers(context: MeasurementContext): MeasurementService {
  const { deps, volumeEntry, settings } = context;
  const pathsOf = ({ volume, series }: VolumeEntry): SidecarPaths =>
    sidecarPaths(
      { uid: series.uid, files: series.files, studyUid: volume.metadata.studyInstanceUid, volumeKey: measurementVolumeKey(volume, series) },
      deps.dataDir,
    );
  // Each volume holds its series' entry; the entry is found by sidecar path while any of them is alive, and goes
  // with the last one (a WeakRef, so a long session that opens many series keeps only the lists still shown).
  const byVolume = new WeakMap<VolumeEntry, MeasurementEntry>();
  const byPath = new Map<string, WeakRef<MeasurementEntry>>();
  const forget = new FinalizationRegistry<string>((key) => {
    if (byPath.get(key)?.deref() === undefined) byPath.delete(key);
  });
  // Both places name the series: two series with one name beside the study (same UID, another study) stay apart.
  const keyOf = (paths: SidecarPaths): string => `${paths.beside}\0${paths.own ?? ''}`;
  const held = (paths: SidecarPaths): MeasurementEntry | undefined => byPath.get(keyOf(paths))?.deref();
  const remember = (volume: VolumeEntry, entry: MeasurementEntry): MeasurementEntry => {
    byVolume.set(volume, entry);
    if (held(entry.paths) !== entry) {
      byPath.set(keyOf(entry.paths), new WeakRef(entry));
      forget.register(entry, keyOf(entry.paths));
    }
    return entry;
  };
  const entryOf = (volume: VolumeEntry): MeasurementEntry => {
    const own = byVolume.get(volume);
    if (own) return own;
    const paths = pathsOf(volume);
    return remember(volume, held(paths) ?? { measurements: [], paths, damaged: [], besideStudy: undefined });
  };

  return {
    async load(volume, { opened }) {
      const paths = pathsOf(volume);
      const entry = held(paths);
      if (entry) {
        // Opened again: from now on the list goes where the setting says now. Stepping time keeps the open series' place.
        if (opened) entry.besideStudy = (await settings.get()).measurementsBesideStudy;
        remember(volume, entry);
        return { measurements: [...entry.measurements], warnings: [] };
      }
      const besideStudy = (await settings.get()).measurementsBesideStudy;
      const read = await readMeasurementSidecar(paths);
      // Another time point of the series may have been loaded (and saved) while this one read the disk.
      const shared = remember(volume, held(paths) ?? { measurements: read.measurements, paths, damaged: read.damaged, besideStudy });
      return { measurements: [...shared.measurements], warnings: shared.measurements === read.measurements ? read.warnings : [] };
    },

    handlers: {
      async 'measurements:save'({ volumeId, measurements }) {
        const volume = volumeEntry(volumeId);
        const entry = entryOf(volume);
        entry.besideStudy ??= (await settings.get()).measurementsBesideStudy;
        const written = await writeMeasurementSidecar({
          paths: entry.paths,
          series: volume.series.uid || basename(volume.series.files[0] ?? ''),
          measurements,
          inputs: volume.inputs,
          damaged: entry.damaged,
          besideStudy: entry.besideStudy,
        });
        entry.damaged = [];
        entry.measurements = measurements;
        return { fileName: basename(written.path), beside: written.beside };
      },

      async 'measurements:export'({ volumeId }) {
        const volume = volumeEntry(volumeId);
        const { measurements } = entryOf(volume);
        const stem =
          volume.name
            .replace(/\.(nii(\.gz)?|nrrd|nhdr|dcm)$/i, '')
            .replace(/[\u0000-\u001f\\/:*?"<>|]/g, '_')
            .slice(0, 100) || 'axial';
        const chosen = await deps.chooseSavePath(`${stem}-measurements.csv`, [{ name: 'CSV', extensions: ['csv'] }]);
        if (chosen === undefined) return { saved: false };
        const path = chosen.toLowerCase().endsWith('.csv') ? chosen : withExtension(chosen, '.csv');
        const csv = measurementsCsv(measurements, { units: volume.volume.metadata.units ?? null });
        await writeFileAtomic(path, [new TextEncoder().encode(csv)], volume.inputs);
        return { saved: true, fileName: basename(path) };
      },
    },
  };
}
