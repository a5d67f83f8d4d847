import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import {
  argumentSchemas,
  parseArguments,
  type ArgumentsOf,
  type Channel,
  type Result,
  type ResultTypes,
  type SavedFile,
  type ScanResult,
} from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { listModelFiles } from '../segmentation/listModelFiles.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { createVolumeLoader, type LoaderScan } from '../loader/createVolumeLoader.js';
import { createSettingsStore } from './createSettingsStore.js';
import { startInferenceProcess } from '../segmentation/process/runInferenceProcess.js';
import type { AppServiceDeps, AppServices, DataKind } from './AppServices.js';
import { createSegmentationJobs } from './createSegmentationJobs.js';
import { matchChannelSeries } from './matchChannelSeries.js';
import { channelVolumes } from './channelVolumes.js';
import { checkChannelInputs } from './checkChannelInputs.js';
import { resultLayers } from './resultLayers.js';
import { seriesSummaries } from './seriesSummaries.js';
import { addMask, createMaskHandlers, unsavedMasks, type MaskEntry, type VolumeEntry } from './createMaskHandlers.js';
import { createMeasurementHandlers } from './createMeasurementHandlers.js';
import { createStudyHandlers } from './createStudyHandlers.js';
import { createRecoveryJournal } from '../recovery/createRecoveryJournal.js';
import { describeVolume } from '../input/describeVolume.js';
import { studyInfoOf } from '../input/studyInfoOf.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { settleWithin } from './settleWithin.js';
import { toErrorResult } from './toErrorResult.js';
import { boundedMap, modelPathOf, plainRecovery, safeFileName, withExtension } from './serviceHelpers.js';

type ScanEntry = Pick<LoaderScan, 'series' | 'forget'>;

type Handlers = { readonly [C in Channel]: (args: ArgumentsOf<C>) => Promise<ResultTypes[C]> };

/** How many of each are kept; the oldest are forgotten (their data URLs then answer 404). */
const limits = { scans: 16, volumes: 4, masks: 32 } as const;

/** How long dispose lets the calls under way finish: an export writing a large file; not a dialog left open. */
const callsUnderWayMs = 10_000;

/**
 * The app's main-process side of every contract channel, free of any
 * transport: Electron's ipcMain and the test host's HTTP server both call
 * `invoke`. State lives in maps keyed by generated ids; paths come only from
 * the host's dialogs and drops.
 */
export function createAppServices(deps: AppServiceDeps): AppServices {
  const scans = boundedMap<ScanEntry>(limits.scans, (_, scan) => scan.forget());
  const masks = boundedMap<MaskEntry>(limits.masks);
  const volumes = boundedMap<VolumeEntry>(limits.volumes, (volumeId, evicted) => {
    // A 4D series' time points share one grid: its masks move, in place (handlers may hold them), to its newest time point still loaded.
    const heir = [...volumes.entries()].reverse().find(([id, v]) => id !== volumeId && v.series === evicted.series)?.[0];
    if (heir === undefined) masks.deleteWhere((m) => m.volumeId === volumeId);
    else for (const mask of masks.values()) if (mask.volumeId === volumeId) Object.assign(mask, { volumeId: heir });
  });
  let selectedModel: string | undefined;
  /** The calls not yet answered, that dispose lets finish (an export still writing its file) before the app quits. */
  const underWay = new Set<Promise<unknown>>();
  const logError = deps.logError ?? ((error: unknown) => console.error(error));
  const journal = deps.recoveryDir === undefined ? null : createRecoveryJournal(deps.recoveryDir);
  const settings = createSettingsStore(deps.dataDir, logError);
  // Scans and loads run on the loader's worker threads: this thread only routes, so every call still answers while a series loads.
  const loader = createVolumeLoader({ onProgress: (progress) => deps.emit('volume:progress', progress) });

  const volumeEntry = (volumeId: string): VolumeEntry => {
    const entry = volumes.get(volumeId);
    // No id in the text: the renderer shows it to the user.
    if (!entry) throw new AxialError('UNKNOWN_ID', 'that scan is no longer loaded (it may have been closed to free memory); open it again');
    return entry;
  };

  const maskContext = { deps, masks, volumeEntry, journal, openMask: loader.openMask };
  const measurements = createMeasurementHandlers({ deps, volumeEntry, settings });
  const studies = createStudyHandlers({ dataDir: deps.dataDir, logError, openPath: (path) => openPath(path) });

  const jobs = createSegmentationJobs({
    startInference: deps.startInference ?? (() => startInferenceProcess()),
    emit: deps.emit,
    logError,
    async acceptResult({ volumeId, modelPath }, result, channels) {
      const { volume } = volumeEntry(volumeId);
      const model = basename(modelPath).replace(/\.onnx$/i, '');
      const { layers, segments } = resultLayers(result, volume, { algorithmType: 'AUTOMATIC', algorithmName: model.slice(0, 64) });
      const skipped = result.skippedProviders.map((s) => `skipped ${s.provider}: ${s.reason}`);
      // The model's files and every input image's are inputs too: no export of this mask may land on them.
      const inputs = [...(await listModelFiles(modelPath)), ...(channels?.flatMap((c) => c.files) ?? [])];
      return addMask(maskContext, { volumeId, name: `${model} segmentation`, layers, segments, inputs }, [...result.warnings, ...skipped]);
    },
  });

  const chooseOrTake = async (args: ArgumentsOf<'volume:open'>): Promise<string | undefined> => {
    if (args.source !== 'drop') {
      if (args.dropToken !== undefined) throw new AxialError('IPC_INVALID_ARGUMENTS', `volume:open: dropToken goes only with source 'drop'`);
      return deps.chooseOpenPath(args.source);
    }
    if (args.dropToken === undefined) throw new AxialError('IPC_INVALID_ARGUMENTS', `volume:open: source 'drop' needs a dropToken`);
    const path = deps.takeDroppedPath(args.dropToken);
    if (path === undefined) throw new AxialError('UNKNOWN_ID', 'that drop has expired or was already opened; drop it again');
    return path;
  };

  /** Scans what the user opened (a dialog's or a drop's path, or a recent study's) and keeps the scan for its loads. */
  const openPath = async (path: string): Promise<ScanResult> => {
    const { decodeThreads, philipsScaling } = await settings.get();
    const scan = await loader.scan(path, { decodeThreads, philipsScaling });
    deps.onOpened?.(path);
    const scanId = randomUUID();
    scans.set(scanId, scan);
    studies.opened(scanId, path);
    return { scanId, name: basename(path), series: seriesSummaries(scan), skipped: scan.skipped.length };
  };

  /**
   * The model a call names: a demo, or a folder the user chooses. With `ask` (model:inputs, where every Run of
   * "Model folder…" starts) main asks each time; otherwise it takes the model last remembered, asking when there
   * is none. A chosen folder is remembered only once it has loaded (rememberModel), so a wrong or broken choice
   * never sticks.
   * @throws AxialError INFERENCE_CANCELLED when the chooser is closed without a choice (the page shows nothing).
   */
  const modelPathFor = async (model: 'demo' | 'demo-interactive' | 'choose', ask = false): Promise<string> => {
    const modelPath = model === 'demo' ? deps.demoModelPath : model === 'demo-interactive' ? deps.demoInteractiveModelPath : ask ? undefined : selectedModel;
    if (modelPath !== undefined) return modelPath;
    const chosen = await deps.chooseOpenPath('model');
    if (chosen === undefined) throw new AxialError('INFERENCE_CANCELLED', 'no model was chosen');
    return modelPathOf(chosen);
  };

  /** Reads a model's name and channels; a chosen one that loads becomes the one later runs take. */
  const rememberModel = async (model: 'demo' | 'choose', modelPath: string) => {
    const described = await jobs.describe(modelPath);
    if (model === 'choose') selectedModel = modelPath;
    return described;
  };

  /** The scan the shown volume came from, still open. */
  const scanOf = (entry: VolumeEntry): ScanEntry => {
    const scan = entry.scanId === undefined ? undefined : scans.get(entry.scanId);
    if (!scan) throw new AxialError('UNKNOWN_ID', 'the scan of the shown series is no longer open; open it again to choose its series');
    return scan;
  };

  const maskHandlers = createMaskHandlers(maskContext);
  const handlers: Handlers = {
    ...maskHandlers,
    ...measurements.handlers,
    ...studies.handlers,
    async 'app:ping'() {
      return { pong: true };
    },

    'settings:get': () => settings.get(),

    'settings:set': (args) => settings.set(args),

    async 'volume:open'(args): Promise<ScanResult | null> {
      const path = await chooseOrTake(args);
      if (path === undefined) return null;
      return openPath(path);
    },

    async 'volume:load'({ scanId, seriesIndex, timePoint }) {
      const scan = scans.get(scanId);
      if (!scan) throw new AxialError('UNKNOWN_ID', 'that scan is no longer open (it may have been closed to free memory); open it again');
      const series = scan.series.find((s) => s.index === seriesIndex);
      if (!series) throw new AxialError('UNKNOWN_ID', `the scan has no series ${seriesIndex} (it has ${scan.series.length})`);
      const { volume, warnings, range, thumbnail } = await series.load(timePoint);
      const volumeId = randomUUID();
      const recoveryKey = journal ? await journal.keyOf(series.files) : undefined;
      const recovery = recoveryKey === undefined ? null : await journal!.find(recoveryKey);
      const entry = { volume, name: series.description || basename(series.files[0] ?? 'volume'), series, scanId, inputs: series.files, recoveryKey };
      volumes.set(volumeId, entry);
      // A study is recorded when a series opens, not again for each time point a slider or cine steps to.
      if (timePoint === undefined) studies.loaded(scanId, { series, volume, thumbnail });
      const sidecar = await measurements.load(entry, { opened: timePoint === undefined });
      const header = describeVolume({
        volumeId,
        volume,
        series,
        // The load's warnings already hold the scan's (a DICOM series' gaps and tilt): adding series.warnings said each twice.
        warnings: [...warnings, ...sidecar.warnings],
        dataUrl: deps.dataUrl('volume', volumeId),
        range,
      });
      const time =
        (series.timePoints ?? 1) > 1
          ? { timePoint: timePoint ?? 0, timePoints: series.timePoints, ...(series.timeOffsets !== undefined && { timeOffsets: series.timeOffsets }) }
          : {};
      return { ...header, recovery: plainRecovery(recovery), measurements: sidecar.measurements, study: studyInfoOf(volume), ...time };
    },

    async 'volume:cancel'() {
      return { cancelled: await loader.cancel() };
    },

    async 'model:inputs'({ volumeId, model }) {
      const entry = volumeEntry(volumeId);
      const { name, channels } = await rememberModel(model, await modelPathFor(model, true));
      if (channels.length < 2) return { modelName: name, channels: [], series: [] };
      // What segmentation:run's inputs can carry; a model past it would open a dialog whose Run is always refused.
      if (channels.length > 16 || channels.some((c) => c.length > 64)) {
        const what = `${name} reads ${channels.length} images`;
        throw new AxialError('MODEL_UNSUPPORTED', `${what}; the viewer runs models of up to 16, with names of up to 64 letters`);
      }
      const series = seriesSummaries(scanOf(entry));
      const picks = matchChannelSeries(channels, series);
      return { modelName: name, channels: channels.map((channel, n) => ({ name: channel, seriesIndex: picks[n]! })), series };
    },

    async 'segmentation:run'({ volumeId, model, device, points, roi, inputs }) {
      const entry = volumeEntry(volumeId);
      const modelPath = await modelPathFor(model);
      if (inputs) checkChannelInputs(inputs, (await jobs.describe(modelPath)).channels);
      const scan = inputs ? scanOf(entry) : undefined;
      const loadChannels = inputs && scan ? () => channelVolumes(entry, scan, inputs) : undefined;
      return { jobId: jobs.start({ volumeId, volume: entry.volume, modelPath, device, points, roi, loadChannels }) };
    },

    async 'segmentation:cancel'({ jobId }) {
      return { cancelled: await jobs.cancel(jobId) };
    },

    async 'view:exportPng'({ png, suggestedName }) {
      if (!startsWith(png, pngSignature)) throw new AxialError('IPC_INVALID_ARGUMENTS', 'view:exportPng: png: not PNG data (no PNG signature)');
      return saveRendered(png, safeFileName(suggestedName, '.png', 'axial-view'), { name: 'PNG image', extensions: ['png'] });
    },

    async 'view:exportMovie'({ webm, suggestedName }) {
      if (!startsWith(webm, ebmlSignature)) throw new AxialError('IPC_INVALID_ARGUMENTS', 'view:exportMovie: webm: not WebM data (no EBML header)');
      return saveRendered(webm, safeFileName(suggestedName, '.webm', 'axial-cine'), { name: 'WebM movie', extensions: ['webm'] });
    },
  };

  /** Asks where to save bytes the page made, and writes them atomically, never over an input. */
  const saveRendered = async (bytes: Uint8Array, suggested: string, filter: { name: string; extensions: string[] }): Promise<SavedFile> => {
    const chosen = await deps.chooseSavePath(suggested, [filter]);
    if (chosen === undefined) return { saved: false };
    const extension = `.${filter.extensions[0]}`;
    const path = chosen.toLowerCase().endsWith(extension) ? chosen : withExtension(chosen, extension);
    const inputs = [...volumes.values()].flatMap((v) => v.inputs).concat([...masks.values()].flatMap((m) => m.inputs));
    await writeFileAtomic(path, [bytes], inputs);
    return { saved: true, fileName: basename(path) };
  };

  const maskLayer = (id: string): LabelArray | undefined => {
    const at = id.lastIndexOf(':');
    return masks.get(id.slice(0, at))?.layers[Number(id.slice(at + 1))];
  };

  return {
    async invoke(channel: string, payload: unknown) {
      if (!Object.hasOwn(argumentSchemas, channel)) {
        return { ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL', message: `no channel named ${JSON.stringify(channel.slice(0, 100))}` } };
      }
      const known = channel as Channel;
      const parsed = parseArguments(known, payload);
      if (!parsed.ok) return parsed;
      try {
        const call = (handlers[known] as (args: unknown) => Promise<unknown>)(parsed.value);
        underWay.add(call);
        void call.catch(() => undefined).finally(() => underWay.delete(call));
        return { ok: true, value: await call } as Result<never>;
      } catch (error) {
        return toErrorResult(error, known, logError);
      }
    },

    getData(kind: DataKind, id: string) {
      const array = kind === 'volume' ? volumes.get(id)?.volume.voxels : maskLayer(id);
      return array && new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    },

    async selectModel(path: string) {
      return (await rememberModel('choose', modelPathOf(path))).name;
    },

    unsavedWork: () => unsavedMasks(masks),

    modelRunUnderWay: () => jobs.modelRun() !== undefined,

    async stopModelRun() {
      const jobId = jobs.modelRun();
      if (jobId !== undefined) await jobs.cancel(jobId);
    },

    async saveMask(maskId) {
      const { saved, fileName, warnings = [], complete = true } = await maskHandlers['mask:save']({ maskId });
      return { saved: saved && complete, ...(fileName === undefined ? {} : { fileName }), warnings };
    },

    async discardMask(maskId) {
      await maskHandlers['mask:discard']({ maskId });
    },

    clearRecentStudies: () => studies.clear(),

    async dispose() {
      // Loads and runs are cancelled; an export or a save under way is let finish, or quitting would lose it.
      // Until none is left: a call the page starts meanwhile (a save on its way out) is waited for too.
      const drained = (async () => {
        while (underWay.size > 0) await Promise.allSettled(underWay);
      })();
      await Promise.all([settleWithin(drained, callsUnderWayMs), jobs.dispose(), loader.close(), studies.dispose()]);
      scans.clear();
      volumes.clear();
      masks.clear();
    },
  };
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Every WebM file starts with an EBML element. */
const ebmlSignature = [0x1a, 0x45, 0xdf, 0xa3];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length > signature.length && signature.every((b, n) => bytes[n] === b);
}
