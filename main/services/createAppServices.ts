import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import {
  argumentSchemas,
  parseArguments,
  type ArgumentsOf,
  type Channel,
  type MaskHeader,
  type Result,
  type ResultTypes,
  type ScanResult,
} from '../../preload/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { scanInput, type ScannedSeries } from '../io/scanInput.js';
import { writeNifti } from '../nifti/writeNifti.js';
import { startInferenceProcess } from '../segmentation/process/runInferenceProcess.js';
import type { Segment } from '../segmentation/segmentColours.js';
import { createVolume, type Volume } from '../volume/Volume.js';
import type { AppServiceDeps, AppServices, DataKind } from './AppServices.js';
import { createSegmentationJobs, assertLabelsOnGrid } from './createSegmentationJobs.js';
import { describeSegments, toLabelArray } from './describeSegments.js';
import { describeVolume } from './describeVolume.js';
import { openLabelMap } from './openLabelMap.js';
import type { LabelArray } from './resampleLabels.js';
import { toErrorResult } from './toErrorResult.js';
import { boundedMap, modelPathOf, pngFileName, withExtension } from './serviceHelpers.js';

interface ScanEntry {
  readonly series: readonly ScannedSeries[];
}

interface VolumeEntry {
  readonly volume: Volume;
  readonly name: string;
  /** The files it was read from: nothing is ever written over them. */
  readonly inputs: readonly string[];
}

interface MaskEntry {
  readonly volumeId: string;
  readonly name: string;
  readonly labels: LabelArray;
  readonly segments: MaskHeader['segments'];
  readonly inputs: readonly string[];
}

type Handlers = { readonly [C in Channel]: (args: ArgumentsOf<C>) => Promise<ResultTypes[C]> };

/** How many of each are kept; the oldest are forgotten (their data URLs then answer 404). */
const limits = { scans: 16, volumes: 4, masks: 32 } as const;

/**
 * The app's main-process side of every contract channel, free of any
 * transport: Electron's ipcMain and the test host's HTTP server both call
 * `invoke`. State lives in maps keyed by generated ids; paths come only from
 * the host's dialogs and drops.
 */
export function createAppServices(deps: AppServiceDeps): AppServices {
  const scans = boundedMap<ScanEntry>(limits.scans);
  const masks = boundedMap<MaskEntry>(limits.masks);
  const volumes = boundedMap<VolumeEntry>(limits.volumes, (volumeId) => masks.deleteWhere((m) => m.volumeId === volumeId));
  let selectedModel: string | undefined;
  const logError = deps.logError ?? ((error: unknown) => console.error(error));

  const volumeEntry = (volumeId: string): VolumeEntry => {
    const entry = volumes.get(volumeId);
    if (!entry) throw new AxialError('UNKNOWN_ID', `no loaded volume ${volumeId} (it may have been closed to free memory)`);
    return entry;
  };

  const addMask = (volumeId: string, mask: Omit<MaskEntry, 'volumeId'>, warnings: readonly string[]): MaskHeader => {
    const maskId = randomUUID();
    masks.set(maskId, { ...mask, volumeId });
    return {
      maskId,
      volumeId,
      name: mask.name,
      dataType: mask.labels instanceof Uint16Array ? 'uint16' : 'uint8',
      segments: mask.segments,
      warnings: [...warnings],
      dataUrl: deps.dataUrl('mask', maskId),
    };
  };

  const jobs = createSegmentationJobs({
    startInference: deps.startInference ?? (() => startInferenceProcess()),
    emit: deps.emit,
    logError,
    acceptResult(volumeId, modelPath, result) {
      const { volume } = volumeEntry(volumeId);
      assertLabelsOnGrid(result.labels, volume);
      const labels = toLabelArray(result.labels.voxels, 'the model output');
      const segments = describeSegments(labels, volume, result.segments as Segment[]);
      const skipped = result.skippedProviders.map((s) => `skipped ${s.provider}: ${s.reason}`);
      const name = `${basename(modelPath).replace(/\.onnx$/i, '')} segmentation`;
      return addMask(volumeId, { name, labels, segments, inputs: [] }, [...result.warnings, ...skipped]);
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

  const handlers: Handlers = {
    async 'volume:open'(args): Promise<ScanResult | null> {
      const path = await chooseOrTake(args);
      if (path === undefined) return null;
      const scan = await scanInput(path);
      deps.onOpened?.(path);
      const scanId = randomUUID();
      scans.set(scanId, { series: scan.series });
      const series = scan.series.map(({ index, uid, description, modality, format, files }) => ({
        index, uid, description, modality, format, files: files.length,
      }));
      return { scanId, name: basename(path), series, skipped: scan.skipped.length };
    },

    async 'volume:load'({ scanId, seriesIndex }) {
      const scan = scans.get(scanId);
      if (!scan) throw new AxialError('UNKNOWN_ID', `no scan ${scanId}; open the input again`);
      const series = scan.series.find((s) => s.index === seriesIndex);
      if (!series) throw new AxialError('UNKNOWN_ID', `the scan has no series ${seriesIndex} (it has ${scan.series.length})`);
      const { volume, warnings } = await series.load();
      const volumeId = randomUUID();
      volumes.set(volumeId, { volume, name: series.description || basename(series.files[0] ?? 'volume'), inputs: series.files });
      return describeVolume({ volumeId, volume, series, warnings: [...series.warnings, ...warnings], dataUrl: deps.dataUrl('volume', volumeId) });
    },

    async 'mask:open'({ volumeId }) {
      const { volume } = volumeEntry(volumeId);
      const path = await deps.chooseOpenPath('mask');
      if (path === undefined) return null;
      const opened = await openLabelMap(path, volume);
      volumeEntry(volumeId); // still loaded? It may have been forgotten while the file was read.
      const segments = describeSegments(opened.labels, volume);
      return addMask(volumeId, { name: opened.name, labels: opened.labels, segments, inputs: [path] }, opened.warnings);
    },

    async 'segmentation:run'({ volumeId, model, device }) {
      const { volume } = volumeEntry(volumeId);
      let modelPath = model === 'demo' ? deps.demoModelPath : selectedModel;
      if (modelPath === undefined) {
        const chosen = await deps.chooseOpenPath('model');
        if (chosen === undefined) throw new AxialError('INFERENCE_CANCELLED', 'no model was chosen');
        modelPath = selectedModel = modelPathOf(chosen);
      }
      return { jobId: jobs.start({ volumeId, volume, modelPath, device }) };
    },

    async 'segmentation:cancel'({ jobId }) {
      return { cancelled: await jobs.cancel(jobId) };
    },

    async 'mask:export'({ maskId }) {
      const mask = masks.get(maskId);
      if (!mask) throw new AxialError('UNKNOWN_ID', `no mask ${maskId}`);
      const source = volumeEntry(mask.volumeId);
      const suggested = `${mask.name.replace(/\.(nii(\.gz)?|nrrd|nhdr)$/i, '').replace(/[\\/:*?"<>|]/g, '_')}.nii.gz`;
      const chosen = await deps.chooseSavePath(suggested, [{ name: 'NIfTI label map', extensions: ['nii.gz'] }]);
      if (chosen === undefined) return { saved: false };
      const path = /\.nii(\.gz)?$/i.test(chosen) ? chosen : withExtension(chosen, '.nii.gz');
      const { dimensions, spacing, origin, direction } = source.volume;
      const labels = createVolume({
        dimensions, spacing, origin, direction,
        voxels: mask.labels,
        metadata: { format: 'nifti', seriesDescription: mask.name, windowPresets: [], fileCount: 1 },
      });
      await writeNifti(labels, path, { intent: 'label', inputs: [...source.inputs, ...mask.inputs] });
      return { saved: true, fileName: basename(path) };
    },

    async 'view:exportPng'({ png, suggestedName }) {
      if (!isPng(png)) throw new AxialError('IPC_INVALID_ARGUMENTS', 'view:exportPng: png: not PNG data (no PNG signature)');
      const chosen = await deps.chooseSavePath(pngFileName(suggestedName), [{ name: 'PNG image', extensions: ['png'] }]);
      if (chosen === undefined) return { saved: false };
      const path = /\.png$/i.test(chosen) ? chosen : withExtension(chosen, '.png');
      const inputs = [...volumes.values()].flatMap((v) => v.inputs).concat([...masks.values()].flatMap((m) => m.inputs));
      await writeFileAtomic(path, [png], inputs);
      return { saved: true, fileName: basename(path) };
    },
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
        const handler = handlers[known] as (args: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.value) } as Result<never>;
      } catch (error) {
        return toErrorResult(error, known, logError);
      }
    },

    getData(kind: DataKind, id: string) {
      const array = kind === 'volume' ? volumes.get(id)?.volume.voxels : masks.get(id)?.labels;
      return array && new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    },

    selectModel(path: string) {
      selectedModel = modelPathOf(path);
    },

    async dispose() {
      await jobs.dispose();
      scans.clear();
      volumes.clear();
      masks.clear();
    },
  };
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(bytes: Uint8Array): boolean {
  return bytes.length > pngSignature.length && pngSignature.every((b, n) => bytes[n] === b);
}
