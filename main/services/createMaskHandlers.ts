import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { ArgumentsOf, ExportFormat, MaskHeader, ResultTypes, SegmentDef } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import type { ScannedSeries } from '../input/scanInput.js';
import type { Volume } from '../volume/Volume.js';
import type { VolumeLoader } from '../loader/createVolumeLoader.js';
import type { AppServiceDeps, UnsavedMask } from './AppServices.js';
import { applyLabelEdits, type BeforeFill } from '../labels/applyLabelEdits.js';
import type { RecoveryJournal } from '../recovery/createRecoveryJournal.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { segmentStatistics } from '../labels/segmentStatistics.js';
import { checkMaskEdit } from '../labels/checkMaskEdit.js';
import { createLabelTally, type LabelTally } from '../labels/createLabelTally.js';
import { plainRecoveryError, withExtension, type BoundedMap } from './serviceHelpers.js';
import { exportFormats, writeMaskExport } from '../labels/writeMaskExport.js';
import { sameGrid } from '../../core/geometry/sameGrid.js';

export interface VolumeEntry {
  readonly volume: Volume;
  readonly name: string;
  readonly series: ScannedSeries;
  /** The scan it came from (its other series are a several-image model's inputs); undefined where it came without one. */
  readonly scanId?: string;
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
  /**
   * Edits (mask:edit calls) so far, each counted as it arrives, before its
   * journal is written: a window closed meanwhile still asks. Less `savedSeq`,
   * the one count of unsaved work the renderer's prompts and the close guard
   * read (see unsavedEditsOf).
   */
  editSeq: number;
  /** How many of those are in `layers` (an edit is applied once its journal is begun). */
  appliedSeq: number;
  /** How many a saved label map holds (the most of any save: `appliedSeq` when its layers were copied), or were discarded. */
  savedSeq: number;
  /** The segments' sums, kept by each edit (statistics at the cost of the edit, not of the volume). */
  readonly tally: LabelTally;
  /** The volume `tally` sums the values of (the mask's first: a mask moved to another time point keeps its tally). */
  readonly tallyVolumeId: string;
  /** Sums over the values of the last other volume the statistics were asked of (the time point shown), kept by each edit too. */
  shownTally?: { readonly volumeId: string; readonly tally: LabelTally };
  /** The edit count a kept model result took (mask:keep): while it is the only unsaved change, the result is unsaved as it came. */
  keptSeq?: number;
}

/** A mask as it is added: unsaved edits only when restored from a journal. */
export type NewMask = Omit<MaskEntry, 'editSeq' | 'appliedSeq' | 'savedSeq' | 'tally' | 'tallyVolumeId' | 'shownTally'> & { readonly unsavedEdits?: number };

/** A mask's edits since it was last saved as a label map or its edits discarded. */
export const unsavedEditsOf = (mask: MaskEntry): number => mask.editSeq - mask.savedSeq;

type MaskChannel =
  | 'mask:open'
  | 'mask:create'
  | 'mask:edit'
  | 'mask:statistics'
  | 'mask:recover'
  | 'mask:discardRecovery'
  | 'mask:export'
  | 'mask:status'
  | 'mask:save'
  | 'mask:discard'
  | 'mask:keep'
  | 'mask:close';
type MaskHandlers = { readonly [C in MaskChannel]: (args: ArgumentsOf<C>) => Promise<ResultTypes[C]> };
type LabelFormat = Exclude<ExportFormat, 'stats-csv' | 'stats-json'>;

export interface MaskContext {
  readonly deps: Pick<AppServiceDeps, 'chooseOpenPath' | 'chooseSavePath' | 'dataUrl'>;
  readonly masks: BoundedMap<MaskEntry>;
  readonly volumeEntry: (volumeId: string) => VolumeEntry;
  readonly journal: RecoveryJournal | null;
  /** Reads a segmentation file onto a volume's grid, off this thread (the loader's worker). */
  readonly openMask: VolumeLoader['openMask'];
}

/** The id a mask layer's bytes are served under. */
export const layerDataId = (maskId: string, layer: number): string => `${maskId}:${layer}`;

/** Adds a mask and describes it for the renderer (with its statistics). */
export function addMask(context: MaskContext, entry: NewMask, warnings: readonly string[]): MaskHeader {
  const maskId = randomUUID();
  const { unsavedEdits = 0, ...mask } = entry;
  const { volume } = context.volumeEntry(entry.volumeId);
  const tally = createLabelTally(volume.voxels);
  context.masks.set(maskId, { ...mask, editSeq: unsavedEdits, appliedSeq: unsavedEdits, savedSeq: 0, tally, tallyVolumeId: entry.volumeId });
  return {
    maskId,
    volumeId: entry.volumeId,
    name: entry.name,
    layers: entry.layers.map((l, n) => ({
      dataType: l instanceof Uint16Array ? 'uint16' : 'uint8',
      dataUrl: context.deps.dataUrl('mask', layerDataId(maskId, n)),
    })),
    segments: segmentStatistics(volume, entry.layers, entry.segments, tally),
    warnings: [...warnings],
    unsavedEdits,
  };
}

/** Whether a mask's one unsaved change is the model result it was kept as. */
export const unsavedResultOf = (mask: MaskEntry): boolean => mask.keptSeq === mask.editSeq && unsavedEditsOf(mask) === 1;

/** Every mask with unsaved edits, oldest first. */
export function unsavedMasks(masks: BoundedMap<MaskEntry>): UnsavedMask[] {
  return [...masks.entries()]
    .filter(([, m]) => unsavedEditsOf(m) > 0)
    .map(([maskId, m]) => ({ maskId, name: m.name, unsavedEdits: unsavedEditsOf(m), unsavedResult: unsavedResultOf(m) }));
}

/**
 * The mask:* channels: open, create, edit (with the recovery journal),
 * recover, export and save, and the unsaved-edit count behind the prompts.
 */
export function createMaskHandlers(context: MaskContext): MaskHandlers {
  const { deps, masks, volumeEntry, journal } = context;
  /** Which mask's unsaved edits each source's journal holds (the last one edited). */
  const journalOwners = new Map<string, string>();
  /** Journals an edit could not be written to: the next edit starts them afresh from the mask as it then is. */
  const journalGaps = new Set<string>();
  const maskEntry = (maskId: string): MaskEntry => {
    const mask = masks.get(maskId);
    // No id in the text: the renderer shows it to the user.
    if (!mask) throw new AxialError('UNKNOWN_ID', 'that segmentation is no longer open (it may have been closed to free memory)');
    return mask;
  };
  /**
   * The values a mask's statistics are of, and their sums: its own volume's, or (`volumeId`) another loaded volume of
   * its series on its grid (another time point of a 4D series), whose sums are then kept beside its own.
   * @throws AxialError UNKNOWN_ID for a volume no longer loaded; MASK_VOLUME_MISMATCH for one of another series or grid.
   */
  const statsSource = (mask: MaskEntry, volumeId: string | undefined): { readonly volume: Volume; readonly tally: LabelTally } => {
    const own = volumeEntry(mask.volumeId);
    if (volumeId === undefined || volumeId === mask.tallyVolumeId) return { volume: own.volume, tally: mask.tally };
    // Sums already kept go on serving (the grid is the mask's) after main forgets their volume to free memory.
    if (mask.shownTally?.volumeId === volumeId) return { volume: own.volume, tally: mask.shownTally.tally };
    const entry = volumeEntry(volumeId);
    if (entry.series !== own.series || !sameGrid(entry.volume, own.volume)) {
      throw new AxialError('MASK_VOLUME_MISMATCH', "the statistics can only be of a time point of the segmentation's own series");
    }
    mask.shownTally = { volumeId, tally: createLabelTally(entry.volume.voxels) };
    return { volume: entry.volume, tally: mask.shownTally.tally };
  };
  /**
   * The statistics' source after an edit is kept: the volume asked for, or the mask's own where that one can no longer
   * serve (main forgot it to free memory before its sums were kept, or it is not on the mask's grid). The renderer
   * names here only a volume whose sums main already keeps (it asks mask:statistics first, which refuses the others),
   * so the fallback is for a page that does not.
   */
  const statsAfterEdit = (mask: MaskEntry, volumeId: string | undefined): { readonly volume: Volume; readonly tally: LabelTally } => {
    try {
      return statsSource(mask, volumeId);
    } catch (error) {
      if (!(error instanceof AxialError) || (error.code !== 'UNKNOWN_ID' && error.code !== 'MASK_VOLUME_MISMATCH')) throw error;
      return statsSource(mask, undefined);
    }
  };
  const recoveryKeyOf = (volumeId: string): string => {
    const key = volumeEntry(volumeId).recoveryKey;
    if (!journal || key === undefined) throw new AxialError('UNKNOWN_ID', 'this app keeps no recovery journal');
    return key;
  };
  const keyOfMask = (mask: MaskEntry): string | undefined => {
    try {
      return volumeEntry(mask.volumeId).recoveryKey;
    } catch {
      return undefined;
    }
  };
  /** Ends a mask's journal, when it holds this mask's edits. */
  const endJournal = async (maskId: string, mask: MaskEntry): Promise<void> => {
    const key = keyOfMask(mask);
    if (!journal || key === undefined || journalOwners.get(key) !== maskId) return;
    // Forgotten first: an edit arriving while the file is removed starts a journal of its own.
    journalOwners.delete(key);
    journalGaps.delete(key);
    await journal.discard(key);
  };
  /**
   * What a mask came from besides its scan (an opened label map, a model's files, a several-image model's other series):
   * the scan's own files are the journal's key and guarded at export as the volume's, so they are not journaled again.
   */
  const ownInputs = (mask: MaskEntry): string[] => {
    const scan = new Set(volumeEntry(mask.volumeId).inputs);
    return mask.inputs.filter((path) => !scan.has(path));
  };
  /**
   * Starts `key`'s journal with the mask as it is now as its base (`unsaved`: itself unsaved work) and makes the mask
   * its owner. Resolves with why it could not be written (the mask is then not protected against a crash), or undefined.
   */
  const beginJournal = (key: string, maskId: string, mask: MaskEntry, unsaved: boolean): Promise<string | undefined> =>
    journal!.begin(key, { name: mask.name, layers: mask.layers, segments: mask.segments, inputs: ownInputs(mask), unsaved }).then(
      async () => {
        journalOwners.set(key, maskId);
        journalGaps.delete(key);
        // Saved or discarded while the base was written (the save could not end a journal not yet its own): none is kept.
        if (unsavedEditsOf(mask) === 0) await endJournal(maskId, mask);
        return undefined;
      },
      (error: unknown) => (error as Error).message,
    );
  /**
   * Counts a mask's first `writtenSeq` edits as saved (those applied when its
   * file's layers were copied: edits that arrived during the write are not
   * in the file, and a slower save of older layers takes back nothing a newer
   * one saved), ending its journal only when none is left unsaved.
   */
  const markSaved = async (maskId: string, mask: MaskEntry, writtenSeq: number): Promise<void> => {
    mask.savedSeq = Math.max(mask.savedSeq, writtenSeq);
    if (unsavedEditsOf(mask) === 0) await endJournal(maskId, mask);
  };
  /**
   * Other masks of a source whose journal was just restored or discarded:
   * their edits were that journal's (a page that crashed left them behind),
   * so they are no longer unsaved work of their own.
   */
  const settleOthers = (key: string, keep?: string): void => {
    for (const [id, m] of masks.entries()) if (id !== keep && keyOfMask(m) === key) m.savedSeq = m.editSeq;
  };
  /**
   * Each output file's last write, by its resolved path: the next waits for it, so an older save (of this mask or
   * of another, restored beside it) can never rename its file over a newer one's.
   */
  const writing = new Map<string, Promise<unknown>>();
  const write = (maskId: string, format: ExportFormat, path: string): Promise<ResultTypes['mask:export']> => {
    const mask = maskEntry(maskId);
    const key = resolve(path);
    const next = (writing.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => writeNow(maskId, mask, format, path));
    writing.set(key, next);
    const forget = (): void => {
      if (writing.get(key) === next) writing.delete(key);
    };
    next.then(forget, forget);
    return next;
  };
  const writeNow = async (maskId: string, mask: MaskEntry, format: ExportFormat, path: string): Promise<ResultTypes['mask:export']> => {
    const source = volumeEntry(mask.volumeId);
    // The edits the file will hold: a copy of the layers now, since an edit arriving while the file is
    // compressed or written changes the layers in place (applyLabelEdits fills them) and must not reach it.
    const written = mask.appliedSeq;
    const layers = mask.layers.map((layer) => layer.slice());
    // One label per voxel keeps only the later of overlapping segments (a model's result appended as a layer).
    const { warnings, overlapping } = await writeMaskExport({
      format,
      path,
      volume: source.volume,
      series: source.series,
      name: mask.name,
      layers,
      segments: mask.segments,
      inputs: [...source.inputs, ...mask.inputs],
    });
    if (format.startsWith('stats')) return { saved: true, fileName: basename(path), warnings };
    // Voxels were lost from the file: the edits stay unsaved and journaled, so reopening the scan offers them again.
    if (overlapping === 0) await markSaved(maskId, mask, written);
    return { saved: true, fileName: basename(path), warnings, complete: overlapping === 0 };
  };

  return {
    async 'mask:open'({ volumeId }) {
      const { volume } = volumeEntry(volumeId);
      const path = await deps.chooseOpenPath('mask');
      if (path === undefined) return null;
      const opened = await context.openMask(path, volume);
      volumeEntry(volumeId); // still loaded? It may have been forgotten while the file was read.
      return addMask(context, { volumeId, name: opened.name, layers: opened.layers, segments: opened.segments, inputs: [path] }, opened.warnings);
    },

    async 'mask:create'({ volumeId }) {
      const { volume, name } = volumeEntry(volumeId);
      return addMask(context, { volumeId, name: `${name} segmentation`, layers: [new Uint8Array(volume.voxels.length)], segments: [], inputs: [] }, []);
    },

    async 'mask:edit'({ maskId, edits, segments, volumeId }) {
      const mask = maskEntry(maskId);
      const { volume, recoveryKey } = volumeEntry(mask.volumeId);
      checkMaskEdit(mask.layers, edits, segments, volume.voxels.length);
      mask.editSeq++;
      const key = journal ? recoveryKey : undefined;
      // A journal that cannot be written (a full disk, a locked file) never costs the edit: it is kept here and the
      // page says it is not protected against a crash. Why, for the page's Details.
      let unprotected: string | undefined;
      const failed = (error: unknown): string => (error as Error).message;
      const begins = key !== undefined && (journalOwners.get(key) !== maskId || journalGaps.has(key));
      // The journal's base is the mask before its first unsaved edit (or, after a failed write, before this one, when
      // it holds unsaved changes of its own: then the base counts as one).
      if (begins) unprotected = await beginJournal(key, maskId, mask, unsavedEditsOf(mask) > 1);
      try {
        // Another edit may have added or widened layers while the journal was begun: the budget is checked again.
        if (begins) checkMaskEdit(mask.layers, edits, segments, volume.voxels.length);
        mask.layers = applyLabelEdits(mask.layers, edits, volume.voxels.length, beforeFillOf(mask));
      } catch (error) {
        mask.editSeq--; // refused: nothing of it was kept
        throw error;
      }
      mask.appliedSeq++;
      mask.segments = segments;
      if (key !== undefined && unprotected === undefined) {
        unprotected = await journal!.append(key, edits, segments).then(() => undefined, failed);
        if (unprotected !== undefined) journalGaps.add(key);
      }
      // Only once the edit is kept: the statistics' volume never costs an edit (see statsAfterEdit).
      const shown = statsAfterEdit(mask, volumeId);
      const stats = segmentStatistics(shown.volume, mask.layers, segments, shown.tally);
      return { segments: stats, unsavedEdits: unsavedEditsOf(mask), ...(unprotected !== undefined && { unprotected }) };
    },

    async 'mask:statistics'({ maskId, volumeId }) {
      const mask = maskEntry(maskId);
      const { volume, tally } = statsSource(mask, volumeId);
      return { segments: segmentStatistics(volume, mask.layers, mask.segments, tally) };
    },

    async 'mask:recover'({ volumeId }) {
      const key = recoveryKeyOf(volumeId);
      const { volume } = volumeEntry(volumeId);
      const restored = await journal!.restore(key, volume.voxels.length).catch((error: unknown) => {
        throw plainRecoveryError(error);
      });
      const entry = {
        volumeId,
        name: restored.name,
        layers: [...restored.layers],
        segments: restored.segments,
        inputs: restored.inputs,
        unsavedEdits: Math.max(1, restored.edits),
      };
      // A damaged journal restores its valid edits; the user is told what was left out.
      const header = addMask(context, entry, restored.damage === null ? [] : [restored.damage]);
      journalOwners.set(key, header.maskId);
      journalGaps.delete(key);
      settleOthers(key, header.maskId);
      return header;
    },

    async 'mask:discardRecovery'({ volumeId }) {
      const key = recoveryKeyOf(volumeId);
      journalOwners.delete(key);
      journalGaps.delete(key);
      settleOthers(key);
      return { discarded: await journal!.discard(key) };
    },

    async 'mask:export'({ maskId, format }) {
      const mask = maskEntry(maskId);
      const { name, extension } = exportFormats[format];
      const suggested = `${format.startsWith('stats') ? `${stemOf(mask.name)}-statistics` : stemOf(mask.name)}${extension}`;
      const chosen = await deps.chooseSavePath(suggested, [{ name, extensions: [extension.slice(1)] }]);
      if (chosen === undefined) return { saved: false };
      return write(maskId, format, chosen.toLowerCase().endsWith(extension) ? chosen : withExtension(chosen, extension));
    },

    async 'mask:status'({ maskId }) {
      const mask = maskEntry(maskId);
      return { name: mask.name, unsavedEdits: unsavedEditsOf(mask), unsavedResult: unsavedResultOf(mask) };
    },

    async 'mask:save'({ maskId }) {
      const mask = maskEntry(maskId);
      const dicom = volumeEntry(mask.volumeId).volume.metadata.format === 'dicom';
      // '.seg.nrrd' before '.nrrd': the ending picks the format.
      const formats: LabelFormat[] = dicom ? ['nifti', 'slicer-seg', 'nrrd', 'dicom-seg'] : ['nifti', 'slicer-seg', 'nrrd'];
      const filters = formats.map((f) => ({ name: exportFormats[f].name, extensions: [exportFormats[f].extension.slice(1)] }));
      const chosen = await deps.chooseSavePath(`${stemOf(mask.name)}.nii.gz`, filters);
      if (chosen === undefined) return { saved: false };
      const lower = chosen.toLowerCase();
      // The dialog does not say which type was picked: the name's ending does, NIfTI when it has none of ours.
      const format = formats.find((f) => lower.endsWith(exportFormats[f].extension)) ?? (lower.endsWith('.nii') ? 'nifti' : undefined);
      return format ? write(maskId, format, chosen) : write(maskId, 'nifti', withExtension(chosen, '.nii.gz'));
    },

    async 'mask:discard'({ maskId }) {
      const mask = maskEntry(maskId);
      const had = unsavedEditsOf(mask) > 0;
      // An edit still on its way stays unsaved (it lands after this); its journal is ended all the same, as the user chose.
      mask.savedSeq = Math.max(mask.savedSeq, mask.appliedSeq);
      await endJournal(maskId, mask);
      return { discarded: had };
    },

    async 'mask:keep'({ maskId }) {
      const mask = maskEntry(maskId);
      // Once: a result already counted (kept before, or edited since) is not counted again.
      if (unsavedEditsOf(mask) === 0) {
        mask.editSeq++;
        mask.appliedSeq++;
        mask.keptSeq = mask.editSeq;
      }
      const key = journal ? keyOfMask(mask) : undefined;
      const unprotected = key !== undefined && journalOwners.get(key) !== maskId ? await beginJournal(key, maskId, mask, true) : undefined;
      return { unsavedEdits: unsavedEditsOf(mask), ...(unprotected !== undefined && { unprotected }) };
    },

    async 'mask:close'({ maskId }) {
      const mask = masks.get(maskId);
      if (!mask || unsavedEditsOf(mask) > 0) return { closed: false };
      return { closed: masks.delete(maskId) };
    },
  };
}

/** A mask's name without a label map's extension, safe as a file name. */
function stemOf(name: string): string {
  return name.replace(/\.(nii(\.gz)?|nrrd|nhdr|dcm)$/i, '').replace(/[\\/:*?"<>|]/g, '_');
}

/** Keeps the mask's sums, and those over the time point shown, as an edit writes its runs. */
function beforeFillOf(mask: MaskEntry): BeforeFill {
  const shown = mask.shownTally?.tally.beforeFill;
  const own = mask.tally.beforeFill;
  if (!shown) return own;
  return (layer, labels, start, end, value) => {
    own(layer, labels, start, end, value);
    shown(layer, labels, start, end, value);
  };
}
