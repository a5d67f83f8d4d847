import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ArgumentsOf, MaskHeader, ResultTypes, SegmentDef } from '../../preload/contract.js';
import { AxialError } from '../errors/AxialError.js';
import type { ScannedSeries } from '../io/scanInput.js';
import { readDicomSeg } from '../seg/readDicomSeg.js';
import type { Volume } from '../volume/Volume.js';
import type { AppServiceDeps } from './AppServices.js';
import { applyLabelEdits } from './applyLabelEdits.js';
import type { RecoveryJournal } from './createRecoveryJournal.js';
import { openLabelMap } from './openLabelMap.js';
import type { LabelArray } from './resampleLabels.js';
import { segmentStatistics } from './segmentStatistics.js';
import { segmentTableOf } from './segmentTableOf.js';
import type { BoundedMap } from './serviceHelpers.js';
import { withExtension } from './serviceHelpers.js';
import { exportFormats, writeMaskExport } from './writeMaskExport.js';

export interface VolumeEntry {
  readonly volume: Volume;
  readonly name: string;
  readonly series: ScannedSeries;
  /** The files it was read from: nothing is ever written over them. */
  readonly inputs: readonly string[];
  /** Its recovery journal's key; undefined when the host keeps no journal. */
  readonly recoveryKey: string | undefined;
}

/** Main's copy of a segmentation: the renderer edits its own and sends the changes (`mask:edit`). */
export interface MaskEntry {
  readonly volumeId: string;
  readonly name: string;
  layers: LabelArray[];
  segments: readonly SegmentDef[];
  readonly inputs: readonly string[];
}

type MaskChannel = 'mask:open' | 'mask:create' | 'mask:edit' | 'mask:recover' | 'mask:discardRecovery' | 'mask:export';
type MaskHandlers = { readonly [C in MaskChannel]: (args: ArgumentsOf<C>) => Promise<ResultTypes[C]> };

export interface MaskContext {
  readonly deps: Pick<AppServiceDeps, 'chooseOpenPath' | 'chooseSavePath' | 'dataUrl'>;
  readonly masks: BoundedMap<MaskEntry>;
  readonly volumeEntry: (volumeId: string) => VolumeEntry;
  readonly journal: RecoveryJournal | null;
}

/** The id a mask layer's bytes are served under. */
export const layerDataId = (maskId: string, layer: number): string => `${maskId}:${layer}`;

/** Adds a mask and describes it for the renderer (with its statistics). */
export function addMask(context: MaskContext, entry: MaskEntry, warnings: readonly string[]): MaskHeader {
  const maskId = randomUUID();
  context.masks.set(maskId, { ...entry });
  const { volume } = context.volumeEntry(entry.volumeId);
  return {
    maskId,
    volumeId: entry.volumeId,
    name: entry.name,
    layers: entry.layers.map((l, n) => ({ dataType: l instanceof Uint16Array ? 'uint16' : 'uint8', dataUrl: context.deps.dataUrl('mask', layerDataId(maskId, n)) })),
    segments: segmentStatistics(volume, entry.layers, entry.segments),
    warnings: [...warnings],
  };
}

/** The mask:* channels: open, create, edit (with the recovery journal), recover and export. */
export function createMaskHandlers(context: MaskContext): MaskHandlers {
  const { deps, masks, volumeEntry, journal } = context;
  /** Which mask's unsaved edits each source's journal holds (the last one edited). */
  const journalOwners = new Map<string, string>();
  const maskEntry = (maskId: string): MaskEntry => {
    const mask = masks.get(maskId);
    if (!mask) throw new AxialError('UNKNOWN_ID', `no mask ${maskId}`);
    return mask;
  };
  const recoveryKeyOf = (volumeId: string): string => {
    const key = volumeEntry(volumeId).recoveryKey;
    if (!journal || key === undefined) throw new AxialError('UNKNOWN_ID', 'this app keeps no recovery journal');
    return key;
  };

  return {
    async 'mask:open'({ volumeId }) {
      const { volume } = volumeEntry(volumeId);
      const path = await deps.chooseOpenPath('mask');
      if (path === undefined) return null;
      if (await isDicomFile(path)) {
        const read = await readDicomSeg(path, volume);
        volumeEntry(volumeId);
        const segments = read.seg.segments.map((s) => ({
          layer: s.layer, value: s.value, name: s.label.slice(0, 64) || `Segment ${s.value}`, colour: [...s.colour] as [number, number, number],
          algorithmType: s.algorithmType, ...(s.algorithmName ? { algorithmName: s.algorithmName.slice(0, 64) } : {}), locked: false,
        }));
        return addMask(context, { volumeId, name: read.name, layers: [...read.seg.layers], segments, inputs: [path] }, read.warnings);
      }
      const opened = await openLabelMap(path, volume);
      volumeEntry(volumeId); // still loaded? It may have been forgotten while the file was read.
      const segments = segmentTableOf(opened.labels, { algorithmType: 'MANUAL' });
      return addMask(context, { volumeId, name: opened.name, layers: [opened.labels], segments, inputs: [path] }, opened.warnings);
    },

    async 'mask:create'({ volumeId }) {
      const { volume, name } = volumeEntry(volumeId);
      return addMask(context, { volumeId, name: `${name} segmentation`, layers: [new Uint8Array(volume.voxels.length)], segments: [], inputs: [] }, []);
    },

    async 'mask:edit'({ maskId, edits, segments }) {
      const mask = maskEntry(maskId);
      const { volume, recoveryKey } = volumeEntry(mask.volumeId);
      if (journal && recoveryKey !== undefined && journalOwners.get(recoveryKey) !== maskId) {
        // The journal's base is the mask before its first unsaved edit.
        await journal.begin(recoveryKey, { name: mask.name, layers: mask.layers, segments: mask.segments });
        journalOwners.set(recoveryKey, maskId);
      }
      mask.layers = applyLabelEdits(mask.layers, edits, volume.voxels.length);
      mask.segments = segments;
      if (journal && recoveryKey !== undefined) await journal.append(recoveryKey, edits, segments);
      return { segments: segmentStatistics(volume, mask.layers, segments) };
    },

    async 'mask:recover'({ volumeId }) {
      const key = recoveryKeyOf(volumeId);
      const { volume } = volumeEntry(volumeId);
      const restored = await journal!.restore(key, volume.voxels.length);
      const header = addMask(context, { volumeId, name: restored.name, layers: [...restored.layers], segments: restored.segments, inputs: [] }, []);
      journalOwners.set(key, header.maskId);
      return header;
    },

    async 'mask:discardRecovery'({ volumeId }) {
      const key = recoveryKeyOf(volumeId);
      journalOwners.delete(key);
      return { discarded: await journal!.discard(key) };
    },

    async 'mask:export'({ maskId, format }) {
      const mask = maskEntry(maskId);
      const source = volumeEntry(mask.volumeId);
      const { name, extension } = exportFormats[format];
      const stem = mask.name.replace(/\.(nii(\.gz)?|nrrd|nhdr|dcm)$/i, '').replace(/[\\/:*?"<>|]/g, '_');
      const suggested = `${format.startsWith('stats') ? `${stem}-statistics` : stem}${extension}`;
      const chosen = await deps.chooseSavePath(suggested, [{ name, extensions: [extension.slice(1)] }]);
      if (chosen === undefined) return { saved: false };
      const path = chosen.toLowerCase().endsWith(extension) ? chosen : withExtension(chosen, extension);
      const warnings = await writeMaskExport({
        format, path, volume: source.volume, series: source.series, name: mask.name,
        layers: mask.layers, segments: mask.segments, inputs: [...source.inputs, ...mask.inputs],
      });
      const key = source.recoveryKey;
      if (!format.startsWith('stats') && journal && key !== undefined && journalOwners.get(key) === maskId) {
        await journal.discard(key);
        journalOwners.delete(key);
      }
      return { saved: true, fileName: basename(path), warnings };
    },
  };
}

/** Whether a file starts like DICOM Part 10 (DICM at byte 128). */
async function isDicomFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const bytes = Buffer.alloc(132);
    const { bytesRead } = await handle.read(bytes, 0, 132, 0);
    return bytesRead === 132 && bytes.toString('latin1', 128, 132) === 'DICM';
  } finally {
    await handle.close();
  }
}
