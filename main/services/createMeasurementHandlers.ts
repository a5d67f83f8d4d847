import { basename } from 'node:path';
import type { ArgumentsOf, Measurement, ResultTypes } from '../../core/contract.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { AppServiceDeps } from './AppServices.js';
import type { VolumeEntry } from './createMaskHandlers.js';
import type { SettingsStore } from './createSettingsStore.js';
import { measurementsCsv } from '../measurements/measurementsCsv.js';
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

/** Main's copy of a volume's measurements and where they are kept. */
interface MeasurementEntry {
  measurements: readonly Measurement[];
  readonly paths: SidecarPaths;
  /** A damaged sidecar found on loading, moved aside at the first save. */
  damaged: string | undefined;
}

export interface MeasurementService {
  readonly handlers: MeasurementHandlers;
  /** Reads a newly loaded volume's sidecar (for its header) and remembers the list; a damaged sidecar gives [] and a warning. */
  load(entry: VolumeEntry): Promise<{ measurements: Measurement[]; warnings: string[] }>;
}

/**
 * The measurements:* channels. Each volume's list lives beside its entry (so
 * it goes when the volume is forgotten); every save rewrites the sidecar,
 * and the CSV export writes what was saved last.
 */
export function createMeasurementHandlers(context: MeasurementContext): MeasurementService {
  const { deps, volumeEntry, settings } = context;
  const pathsOf = (volume: VolumeEntry): SidecarPaths =>
    sidecarPaths({ uid: volume.series.uid, files: volume.series.files, studyUid: volume.volume.metadata.studyInstanceUid }, deps.dataDir);
  const entries = new WeakMap<VolumeEntry, MeasurementEntry>();
  const entryOf = (volume: VolumeEntry): MeasurementEntry => {
    let entry = entries.get(volume);
    if (!entry) {
      entry = { measurements: [], paths: pathsOf(volume), damaged: undefined };
      entries.set(volume, entry);
    }
    return entry;
  };

  return {
    async load(volume) {
      const paths = pathsOf(volume);
      const read = await readMeasurementSidecar(paths, (await settings.get()).measurementsBesideStudy);
      entries.set(volume, { measurements: read.measurements, paths, damaged: read.damaged });
      return { measurements: read.measurements, warnings: read.warnings };
    },

    handlers: {
      async 'measurements:save'({ volumeId, measurements }) {
        const volume = volumeEntry(volumeId);
        const entry = entryOf(volume);
        const written = await writeMeasurementSidecar({
          paths: entry.paths,
          series: volume.series.uid || basename(volume.series.files[0] ?? ''),
          measurements,
          inputs: volume.inputs,
          damaged: entry.damaged,
          besideStudy: (await settings.get()).measurementsBesideStudy,
        });
        entry.damaged = undefined;
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
