import { crc32 } from 'node:zlib';
import { maxRecordHeaderBytes, recordFrameBytes, recordMagic } from './journalFormat.js';

/** Why a record cannot be read, in a few words for the user: "edit 5 …". */
export type RecordFault = 'was cut short' | 'fails its checksum' | 'is unreadable';

export type FramedRecord =
  | { readonly ok: true; readonly at: number; readonly end: number; readonly header: Buffer; readonly payload: Buffer }
  | { readonly ok: false; readonly at: number; readonly fault: RecordFault; readonly detail: string };

/**
 * Splits a journal's records from byte `start` on (see journalFormat) and
 * checks each one's CRC-32s. Every record is listed, damaged ones too, so
 * the reader can say how many were lost: after any damaged record it
 * resynchronises on the next magic whose frame checksum holds (not on the
 * damaged record's own lengths, which a write cut short and followed by
 * later records would make jump over them). Trailing bytes too short for a
 * record are one record cut short.
 */
export function readJournalRecords(bytes: Buffer, start: number): FramedRecord[] {
  const records: FramedRecord[] = [];
  let at = start;
  while (at < bytes.length) {
    const { record, next } = readRecord(bytes, at);
    records.push(record);
    at = next;
  }
  return records;
}

function readRecord(bytes: Buffer, at: number): { record: FramedRecord; next: number } {
  if (!isFrame(bytes, at)) {
    const next = nextFrame(bytes, at + 1);
    const fault = next === bytes.length && bytes.length - at < recordFrameBytes ? 'was cut short' : 'is unreadable';
    return { record: { ok: false, at, fault, detail: `no valid record frame at byte ${at}` }, next };
  }
  const headerLength = bytes.readUInt32LE(at + 4);
  const payloadLength = bytes.readUInt32LE(at + 8);
  const headerAt = at + recordFrameBytes;
  const end = headerAt + headerLength + payloadLength;
  if (end > bytes.length) {
    const detail = `the record at byte ${at} claims ${headerLength + payloadLength} bytes, the file holds ${bytes.length - headerAt} after its frame`;
    return { record: { ok: false, at, fault: 'was cut short', detail }, next: nextFrame(bytes, headerAt) };
  }
  const header = bytes.subarray(headerAt, headerAt + headerLength);
  const payload = bytes.subarray(headerAt + headerLength, end);
  const stored = bytes.readUInt32LE(at + 12);
  const computed = crc32(payload, crc32(header));
  if (stored !== computed) {
    const detail = `the record at byte ${at} has CRC-32 ${hex(computed)}, its frame says ${hex(stored)}`;
    return { record: { ok: false, at, fault: 'fails its checksum', detail }, next: nextFrame(bytes, headerAt) };
  }
  return { record: { ok: true, at, end, header, payload }, next: end };
}

/** Whether a whole, self-consistent record frame starts at `at`. */
function isFrame(bytes: Buffer, at: number): boolean {
  if (bytes.length - at < recordFrameBytes) return false;
  if (!bytes.subarray(at, at + 4).equals(recordMagic)) return false;
  if (bytes.readUInt32LE(at + 16) !== crc32(bytes.subarray(at, at + 16))) return false;
  return bytes.readUInt32LE(at + 4) <= maxRecordHeaderBytes;
}

/** The next offset from `from` where a valid frame starts, or the file's end. */
function nextFrame(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(recordMagic, from); at !== -1; at = bytes.indexOf(recordMagic, at + 1)) {
    if (isFrame(bytes, at)) return at;
  }
  return bytes.length;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
