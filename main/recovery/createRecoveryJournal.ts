import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, realpath, rm, stat, truncate } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { LabelEdit, RecoveryInfo, SegmentDef } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { writeAll } from '../io/writeAll.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { applyLabelEdits } from '../labels/applyLabelEdits.js';
import { encodeJournalPreamble, encodeJournalRecord } from './encodeJournalRecord.js';
import { inflateJournalBase } from './inflateJournalBase.js';
import { maxInputPathLength, maxInputsBytes, type BaseHeader, type EditHeader } from './journalFormat.js';
import { parseRecoveryJournal, type JournalReading } from './parseRecoveryJournal.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { readRegularFile } from '../io/readRegularFile.js';

const gzipAsync = promisify(gzip);

/** A segmentation as the journal stores and restores it. */
export interface JournaledMask {
  readonly name: string;
  readonly layers: readonly LabelArray[];
  readonly segments: readonly SegmentDef[];
}

/** A journal's base: the segmentation before its first unsaved edit, or (`unsaved`) one that is itself unsaved work. */
export interface JournalBaseMask extends JournaledMask {
  readonly unsaved?: boolean;
  /** The files it came from besides the scan (an opened label map, a model's files): nothing is written over them. */
  readonly inputs?: readonly string[];
}

/** A restored segmentation: its changes restored and those after the valid prefix that could not be (as in RecoveryInfo). */
export interface RestoredMask extends JournaledMask {
  /** The base's inputs (see JournalBaseMask); none from a journal of format 4 or older. */
  readonly inputs: readonly string[];
  readonly edits: number;
  readonly dropped: number;
  readonly damage: string | null;
}

export interface RecoveryJournal {
  /** The journal key of a source: its files' paths, sizes and modification times. */
  keyOf(inputs: readonly string[]): Promise<string>;
  /**
   * Starts a journal for `key` with the segmentation as it was before the first unsaved edit, or with one that is
   * unsaved work itself (`base.unsaved`: a model's result), which find and restore count as one change.
   */
  begin(key: string, base: JournalBaseMask): Promise<void>;
  /** Appends one edit (and the segment table after it), flushed to disk before this resolves. */
  append(key: string, edits: readonly LabelEdit[], segments: readonly SegmentDef[]): Promise<void>;
  /**
   * What a journal for `key` holds: the valid edits (its base counted as one when it is unsaved work) and how many
   * after them are damaged and why. Null when there is none, or it holds only an intact base that is not unsaved
   * work; a damaged or unreadable journal is described (edits 0), never hidden.
   */
  find(key: string): Promise<RecoveryInfo | null>;
  /**
   * The segmentation after the journal's longest valid prefix of edits (see find). The journal is cut to that
   * prefix, so that edits appended after restoring are not hidden behind the damaged ones.
   * @throws AxialError RECOVERY_UNREADABLE when the file cannot be read; RECOVERY_DAMAGED when not even its base is valid for this volume.
   */
  restore(key: string, voxelCount: number): Promise<RestoredMask>;
  discard(key: string): Promise<boolean>;
}

/**
 * Unsaved segmentation edits, journaled as the user works so that a crash
 * loses nothing: one file per source in `dir`, a base record (the label
 * layers, gzip) and then one record per edit (its run-length runs), each
 * framed with its lengths and CRC-32s (see journalFormat). Reading checks
 * every record before any is applied, and keeps the longest valid prefix.
 */
export function createRecoveryJournal(dir: string): RecoveryJournal {
  const fileOf = (key: string): string => join(dir, `${key}.axial-recovery`);
  /** The segment table each journal's last record holds, as JSON: an edit that leaves it so writes none. */
  const lastSegments = new Map<string, string>();
  /** Each journal's last task: one file is written, read or removed by one task at a time, in call order. */
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
    const settled = run.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => queues.get(key) === settled && queues.delete(key));
    return run;
  };
  return {
    async keyOf(inputs) {
      const facts = await Promise.all(
        [...inputs].sort().map(async (path) => {
          const s = await stat(path).catch(() => null);
          // The file's own path: the scan opened again through a symlinked folder finds its journal.
          const real = await realpath(path).catch(() => resolve(path));
          return [real, s?.size ?? -1, s?.mtimeMs ?? -1];
        }),
      );
      return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 32);
    },

    begin(key, base) {
      return serial(key, async () => {
        await mkdir(dir, { recursive: true });
        const bytes = base.layers.map((l) => new Uint8Array(l.buffer, l.byteOffset, l.byteLength));
        const payload = new Uint8Array(await gzipAsync(Buffer.concat(bytes), { level: 1 }));
        const header: BaseHeader = {
          type: 'base',
          savedAt: new Date().toISOString(),
          name: base.name,
          voxelCount: base.layers[0]?.length ?? 0,
          layers: base.layers.map((l) => (l instanceof Uint16Array ? 'uint16' : 'uint8')),
          segments: [...base.segments],
          ...(base.unsaved === true && { unsaved: true as const }),
          ...journaledInputs(base.inputs ?? []),
        };
        lastSegments.delete(key);
        await writeFileAtomic(fileOf(key), [encodeJournalPreamble(), ...encodeJournalRecord(header, payload)], [], { ownFile: true });
        lastSegments.set(key, JSON.stringify(base.segments));
      });
    },

    append(key, edits, segments) {
      return serial(key, async () => {
        const table = JSON.stringify(segments);
        const unchanged = lastSegments.get(key) === table;
        const header: EditHeader = {
          type: 'edit',
          savedAt: new Date().toISOString(),
          ...(!unchanged && { segments: [...segments] }),
          edits: edits.map((e) => ({ layer: e.layer, bytes: e.runs.byteLength })),
        };
        // Until this record is on disk, the last one's table is unknown: a failed append writes the next table in full.
        lastSegments.delete(key);
        // Never made here: a journal removed meanwhile (saved, discarded) has no base to append to, and the failure
        // makes the next edit begin a new one.
        const handle = await open(fileOf(key), constants.O_WRONLY | constants.O_APPEND);
        try {
          // One buffer, so that a crash leaves at most this record cut short.
          await writeAll(handle, Buffer.concat(encodeJournalRecord(header, Buffer.concat(edits.map((e) => e.runs)))));
          await handle.datasync();
        } finally {
          await handle.close();
        }
        lastSegments.set(key, table);
      });
    },

    find(key) {
      return serial(key, async () => {
        const file = fileOf(key);
        let bytes: Buffer;
        try {
          bytes = await readRegularFile(file);
        } catch (error) {
          // No such file, or no such folder (a file where one of the folders should be): nothing was journaled.
          if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
          return {
            maskName: 'segmentation',
            savedAt: new Date().toISOString(),
            edits: 0,
            dropped: 0,
            damage: `The recovery file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
          };
        }
        const reading = parseRecoveryJournal(bytes);
        const edits = changesIn(reading);
        if (edits === 0 && reading.damage === null) return null;
        return {
          maskName: reading.base?.header.name ?? 'segmentation',
          savedAt:
            lastSavedAt(reading) ??
            (await stat(file).then(
              (s) => s.mtime.toISOString(),
              () => new Date().toISOString(),
            )),
          edits,
          dropped: reading.dropped,
          damage: reading.damage,
        };
      });
    },

    restore(key, voxelCount) {
      return serial(key, async () => {
        const file = fileOf(key);
        const bytes = await readRegularFile(file).catch((error: unknown) => {
          throw new AxialError('RECOVERY_UNREADABLE', `cannot read the recovery file: ${(error as Error).message}`, { file, cause: error });
        });
        const reading = parseRecoveryJournal(bytes);
        const { base } = reading;
        if (!base) {
          const why = reading.damage ? `${reading.damage.replace(/\.$/, '')}: ${reading.detail}` : 'the recovery file is empty';
          throw new AxialError('RECOVERY_DAMAGED', why, { file });
        }
        if (base.header.voxelCount !== voxelCount) {
          throw new AxialError(
            'RECOVERY_DAMAGED',
            `the recovery file was written for a volume of ${base.header.voxelCount} voxels, this one has ${voxelCount}`,
            {
              file,
            },
          );
        }
        let layers = await inflateJournalBase(base.payload, base.header.layers, voxelCount, file);
        for (const { edits } of reading.edits) layers = applyLabelEdits(layers, edits, voxelCount);
        if (reading.dropped > 0) await cutToValidPrefix(file, reading);
        // The next append follows the restored table, whatever this process wrote before.
        lastSegments.delete(key);
        const segments = reading.edits.findLast((e) => e.header.segments !== undefined)?.header.segments ?? base.header.segments;
        return {
          name: base.header.name,
          layers,
          segments,
          inputs: base.header.inputs ?? [],
          edits: changesIn(reading),
          dropped: reading.dropped,
          damage: reading.damage,
        };
      });
    },

    discard(key) {
      return serial(key, async () => {
        const file = fileOf(key);
        const existed = await stat(file).then(
          () => true,
          () => false,
        );
        await rm(file, { force: true });
        lastSegments.delete(key);
        return existed;
      });
    },
  };
}

function lastSavedAt(reading: JournalReading): string | undefined {
  return reading.edits.at(-1)?.header.savedAt ?? reading.base?.header.savedAt;
}

/** Drops the damaged records (the user was told of them by find and restore) so that new edits follow the valid ones. */
async function cutToValidPrefix(file: string, reading: JournalReading): Promise<void> {
  await truncate(file, reading.validBytes).catch((error: unknown) => {
    throw new AxialError('RECOVERY_UNREADABLE', `cannot cut the damaged records from the recovery file: ${(error as Error).message}`, { file, cause: error });
  });
}

/** The changes a journal holds: its valid edits, and its base when that is unsaved work itself (a model's result). */
function changesIn(reading: JournalReading): number {
  return reading.edits.length + (reading.base?.header.unsaved === true ? 1 : 0);
}

/**
 * A base's inputs as its header holds them: none when there are none, or when they would not fit (more than
 * maxInputsBytes of JSON: some hundred thousand paths; a path past maxInputPathLength), so that the reader never
 * calls the base damaged. The restored segmentation then lacks only the guard they give.
 */
function journaledInputs(inputs: readonly string[]): { inputs?: string[] } {
  if (inputs.length === 0 || inputs.some((path) => path.length === 0 || path.length > maxInputPathLength)) return {};
  return Buffer.byteLength(JSON.stringify(inputs)) <= maxInputsBytes ? { inputs: [...inputs] } : {};
}
