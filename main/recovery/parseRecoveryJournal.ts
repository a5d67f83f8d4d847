import type { LabelEdit } from '../../core/contract.js';
import { checkLabelEdits } from '../labels/checkLabelEdits.js';
import {
  baseHeaderSchema,
  editHeaderSchema,
  journalPreambleBytes,
  journalSignature,
  journalVersion,
  journaledEditsSchema,
  type BaseHeader,
  type EditHeader,
} from './journalFormat.js';
import { readJournalRecords, type FramedRecord } from './readJournalRecords.js';

export interface JournalBase {
  readonly header: BaseHeader;
  /** The layers' bytes, gzipped: inflate them with inflateJournalBase. */
  readonly payload: Uint8Array;
  readonly end: number;
}

export interface JournalEdit {
  readonly header: EditHeader;
  /** Checked against the base's voxel count and layers (see checkLabelEdits). */
  readonly edits: readonly LabelEdit[];
}

/** What a journal holds that can be restored: the base and the longest valid prefix of edits after it. */
export interface JournalReading {
  /** Null when not even the base is valid: nothing can be restored. */
  readonly base: JournalBase | null;
  readonly edits: readonly JournalEdit[];
  /** Edit records after the valid prefix (the first bad one and every one after it: edits build on each other). */
  readonly dropped: number;
  /** Why, as a sentence for the user; null when nothing was dropped and the base is valid. */
  readonly damage: string | null;
  /** The first problem, precisely (byte offsets, checksums), for errors and logs; null when none. */
  readonly detail: string | null;
  /** Where the valid prefix ends in the file (0 when the base is not valid). */
  readonly validBytes: number;
}

/**
 * Reads a recovery journal's bytes (see journalFormat): the format version,
 * each record's checksums, its header against the contract's schemas and its
 * runs against the base's volume and layers, all before anything is applied.
 * Never throws on damaged bytes: what cannot be used is counted and described.
 */
export function parseRecoveryJournal(bytes: Buffer): JournalReading {
  if (bytes.length === 0) return { base: null, edits: [], dropped: 0, damage: null, detail: null, validBytes: 0 };
  const format = formatProblem(bytes);
  if (format) return { base: null, edits: [], dropped: format.edits, damage: format.damage, detail: format.detail, validBytes: 0 };
  const records = readJournalRecords(bytes, journalPreambleBytes);
  const base = readBase(records[0]);
  if ('fault' in base) {
    const dropped = Math.max(0, records.length - 1);
    const lost = dropped === 0 ? 'nothing can' : dropped === 1 ? 'its 1 edit cannot' : `none of its ${dropped} edits can`;
    const damage = `The recovery file is damaged (its copy of the segmentation ${base.fault}): ${lost} be restored.`;
    return { base: null, edits: [], dropped, damage, detail: base.detail, validBytes: 0 };
  }
  const edits: JournalEdit[] = [];
  let validBytes = base.end;
  let layerCount = base.header.layers.length;
  for (const record of records.slice(1)) {
    const edit = readEdit(record, base.header.voxelCount, layerCount);
    if ('fault' in edit) {
      const dropped = records.length - 1 - edits.length;
      const those = `${dropped} ${edits.length > 0 ? 'later ' : ''}edit${dropped === 1 ? ' was' : 's were'}`;
      const damage = `${those} damaged and cannot be restored (edit ${edits.length + 1} ${edit.fault}).`;
      return { base, edits, dropped, damage, detail: edit.detail, validBytes };
    }
    edits.push(edit.edit);
    layerCount = edit.layerCount;
    validBytes = edit.end;
  }
  return { base, edits, dropped: 0, damage: null, detail: null, validBytes };
}

/** A file that is not this format's: an older Axial's journal (counted by its own framing), a newer one's, or not a journal. */
function formatProblem(bytes: Buffer): { edits: number; damage: string; detail: string } | null {
  if (bytes.length >= journalPreambleBytes && bytes.subarray(0, 4).equals(journalSignature)) {
    const version = bytes.readUInt32LE(4);
    // Versions 2 to 4 lack only what later ones added (a base's inputs and unsaved flag; edits that leave out an unchanged table).
    if (version >= 2 && version <= journalVersion) return null;
    return {
      edits: 0,
      damage: 'The recovery file was written by a newer version of Axial and cannot be restored here.',
      detail: `journal format ${version}, this Axial reads ${journalVersion}`,
    };
  }
  if (bytes.length >= 5 && bytes[4] === 0x7b) {
    const edits = Math.max(0, countLegacyRecords(bytes) - 1);
    const those = edits === 1 ? 'its 1 edit' : `its ${edits} edits`;
    return {
      edits,
      damage: `The recovery file was written by an older version of Axial: ${those} cannot be restored.`,
      detail: 'journal format 1 (no signature, no checksums)',
    };
  }
  return { edits: 0, damage: 'The recovery file is damaged: nothing in it can be restored.', detail: 'the file does not start with the journal signature' };
}

/** Version 1 records: u32 header length, header, u32 payload length, payload. */
function countLegacyRecords(bytes: Buffer): number {
  let count = 0;
  for (let at = 0; at + 4 <= bytes.length; count++) {
    const payloadAt = at + 8 + bytes.readUInt32LE(at);
    if (payloadAt > bytes.length) break;
    at = payloadAt + bytes.readUInt32LE(payloadAt - 4);
  }
  return count;
}

/** A record that cannot be used: `fault` for the user ("edit 5 …"), `detail` precisely. */
interface Unusable {
  readonly fault: string;
  readonly detail: string;
}

function readBase(record: FramedRecord | undefined): JournalBase | Unusable {
  if (!record) return { fault: 'is missing', detail: 'the journal holds no record' };
  if (!record.ok) return record;
  const header = baseHeaderSchema.safeParse(parseJson(record.header));
  if (!header.success) return malformed(record, header.error.issues);
  return { header: header.data, payload: record.payload, end: record.end };
}

function readEdit(record: FramedRecord, voxelCount: number, layerCount: number): { edit: JournalEdit; layerCount: number; end: number } | Unusable {
  if (!record.ok) return record;
  const header = editHeaderSchema.safeParse(parseJson(record.header));
  if (!header.success) return malformed(record, header.error.issues);
  const lengths = header.data.edits.reduce((sum, e) => sum + e.bytes, 0);
  if (lengths !== record.payload.byteLength) {
    return {
      fault: 'holds malformed data',
      detail: `the record at byte ${record.at} lists ${lengths} bytes of runs, its payload holds ${record.payload.byteLength}`,
    };
  }
  let offset = 0;
  const rebuilt = header.data.edits.map(({ layer, bytes }) => {
    // A copy: the runs must not keep the whole file's buffer alive.
    const runs = new Uint8Array(record.payload.subarray(offset, offset + bytes));
    offset += bytes;
    return { layer, runs };
  });
  const edits = journaledEditsSchema.safeParse(rebuilt);
  if (!edits.success) return malformed(record, edits.error.issues);
  const checked = checkLabelEdits(edits.data, layerCount, voxelCount);
  if (!checked.ok) return { fault: 'does not fit the scan', detail: `the record at byte ${record.at}: ${checked.problem}` };
  return { edit: { header: header.data, edits: edits.data }, layerCount: checked.layerCount, end: record.end };
}

function malformed(record: { readonly at: number }, issues: readonly { path: readonly PropertyKey[]; message: string }[]): Unusable {
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.map(String).join('.')}` : '';
  return {
    fault: 'holds malformed data',
    detail: `the record at byte ${record.at} does not match the journal's schema${where}: ${first?.message ?? 'unknown'}`,
  };
}

/** The header's JSON, or undefined (which no schema accepts) when it is not JSON. */
function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
