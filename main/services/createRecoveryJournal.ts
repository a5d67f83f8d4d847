import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { LabelEdit, RecoveryInfo, SegmentDef } from '../../preload/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { applyLabelEdits } from './applyLabelEdits.js';
import type { LabelArray } from './resampleLabels.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A segmentation as the journal stores and restores it. */
export interface JournaledMask {
  readonly name: string;
  readonly layers: readonly LabelArray[];
  readonly segments: readonly SegmentDef[];
}

export interface RecoveryJournal {
  /** The journal key of a source: its files' paths, sizes and modification times. */
  keyOf(inputs: readonly string[]): Promise<string>;
  /** Starts a journal for `key` with the segmentation as it was before the first unsaved edit. */
  begin(key: string, base: JournaledMask): Promise<void>;
  /** Appends one edit (and the segment table after it), flushed to disk before this resolves. */
  append(key: string, edits: readonly LabelEdit[], segments: readonly SegmentDef[]): Promise<void>;
  /** What a journal for `key` holds, or null when there is none (or it holds no edit, or nothing readable). */
  find(key: string): Promise<RecoveryInfo | null>;
  /** The segmentation after every journaled edit. @throws AxialError RECOVERY_UNREADABLE */
  restore(key: string, voxelCount: number): Promise<JournaledMask>;
  discard(key: string): Promise<boolean>;
}

interface Header {
  readonly type: 'base' | 'edit';
  readonly savedAt: string;
  readonly segments: readonly SegmentDef[];
  readonly name?: string;
  /** base: each layer's type; edit: each edit's layer and byte length. */
  readonly layers?: readonly ('uint8' | 'uint16')[];
  readonly edits?: readonly { readonly layer: number; readonly bytes: number }[];
}

interface JournalRecord {
  readonly header: Header;
  readonly payload: Uint8Array<ArrayBuffer>;
}

/**
 * Unsaved segmentation edits, journaled as the user works so that a crash
 * loses nothing: one file per source in `dir`, a base record (the label
 * layers, gzip) and then one record per edit (its run-length runs). Each
 * record is `u32 header length, header JSON, u32 payload length, payload`;
 * a record cut short by a crash is ignored when reading.
 */
export function createRecoveryJournal(dir: string): RecoveryJournal {
  const fileOf = (key: string): string => join(dir, `${key}.axial-recovery`);
  return {
    async keyOf(inputs) {
      const facts = await Promise.all(
        [...inputs].sort().map(async (path) => {
          const s = await stat(path).catch(() => null);
          return [resolve(path), s?.size ?? -1, s?.mtimeMs ?? -1];
        }),
      );
      return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 32);
    },

    async begin(key, base) {
      await mkdir(dir, { recursive: true });
      const bytes = base.layers.map((l) => new Uint8Array(l.buffer, l.byteOffset, l.byteLength));
      const payload = new Uint8Array(await gzipAsync(Buffer.concat(bytes), { level: 1 }));
      const layers = base.layers.map((l) => (l instanceof Uint16Array ? 'uint16' : 'uint8') as 'uint8' | 'uint16');
      const header: Header = { type: 'base', savedAt: new Date().toISOString(), segments: base.segments, name: base.name, layers };
      await writeFileAtomic(fileOf(key), encodeRecord(header, payload));
    },

    async append(key, edits, segments) {
      const header: Header = { type: 'edit', savedAt: new Date().toISOString(), segments, edits: edits.map((e) => ({ layer: e.layer, bytes: e.runs.byteLength })) };
      const handle = await open(fileOf(key), 'a');
      try {
        await handle.write(Buffer.concat(encodeRecord(header, Buffer.concat(edits.map((e) => e.runs)))));
        await handle.datasync();
      } finally {
        await handle.close();
      }
    },

    async find(key) {
      const records = await readRecords(fileOf(key)).catch(() => null);
      const base = records?.[0];
      if (!records || base?.header.type !== 'base' || records.length < 2) return null;
      const last = records[records.length - 1]!;
      return { maskName: base.header.name ?? 'segmentation', savedAt: last.header.savedAt, edits: records.length - 1, dropped: 0, damage: null };
    },

    async restore(key, voxelCount) {
      const file = fileOf(key);
      const records = await readRecords(file).catch((error: unknown) => {
        throw new AxialError('RECOVERY_UNREADABLE', `cannot read the recovery file: ${(error as Error).message}`, { file, cause: error });
      });
      const base = records[0];
      if (base?.header.type !== 'base') throw new AxialError('RECOVERY_UNREADABLE', 'the recovery file has no base record', { file });
      let layers = await decodeBase(base, voxelCount, file);
      let segments = base.header.segments;
      for (const { header, payload } of records.slice(1)) {
        let offset = 0;
        const edits = (header.edits ?? []).map(({ layer, bytes }) => {
          const runs = payload.slice(offset, offset + bytes);
          offset += bytes;
          return { layer, runs };
        });
        layers = applyLabelEdits(layers, edits, voxelCount);
        segments = header.segments;
      }
      return { name: base.header.name ?? 'segmentation', layers, segments };
    },

    async discard(key) {
      const file = fileOf(key);
      const existed = await stat(file).then(() => true, () => false);
      await rm(file, { force: true });
      return existed;
    },
  };
}

function encodeRecord(header: Header, payload: Uint8Array): Uint8Array[] {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lengths = Buffer.alloc(4);
  lengths.writeUInt32LE(json.length);
  const payloadLength = Buffer.alloc(4);
  payloadLength.writeUInt32LE(payload.byteLength);
  return [lengths, json, payloadLength, payload];
}

async function readRecords(file: string): Promise<JournalRecord[]> {
  const bytes = await readFile(file);
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const headerLength = bytes.readUInt32LE(offset);
    const payloadAt = offset + 4 + headerLength + 4;
    if (payloadAt > bytes.length) break;
    const payloadLength = bytes.readUInt32LE(payloadAt - 4);
    if (payloadAt + payloadLength > bytes.length) break;
    let header: Header;
    try {
      header = JSON.parse(bytes.subarray(offset + 4, offset + 4 + headerLength).toString('utf8')) as Header;
    } catch {
      break;
    }
    records.push({ header, payload: new Uint8Array(bytes.buffer, bytes.byteOffset + payloadAt, payloadLength) as Uint8Array<ArrayBuffer> });
    offset = payloadAt + payloadLength;
  }
  return records;
}

async function decodeBase(base: JournalRecord, voxelCount: number, file: string): Promise<LabelArray[]> {
  const raw = new Uint8Array(await gunzipAsync(base.payload));
  const types = base.header.layers ?? [];
  const expected = types.reduce((sum, t) => sum + voxelCount * (t === 'uint16' ? 2 : 1), 0);
  if (raw.byteLength !== expected) {
    throw new AxialError('RECOVERY_UNREADABLE', `the recovery file's labels hold ${raw.byteLength} bytes, the volume needs ${expected}`, { file });
  }
  let offset = 0;
  return types.map((type) => {
    const bytes = voxelCount * (type === 'uint16' ? 2 : 1);
    const copy = raw.slice(offset, offset + bytes);
    offset += bytes;
    return type === 'uint16' ? new Uint16Array(copy.buffer) : copy;
  });
}
