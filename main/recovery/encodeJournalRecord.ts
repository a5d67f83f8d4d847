import { crc32 } from 'node:zlib';
import { journalPreambleBytes, journalSignature, journalVersion, recordFrameBytes, recordMagic, type JournalHeader } from './journalFormat.js';

/**
 * One journal record, framed (see journalFormat): the chunks to write, in
 * order, header and payload covered by a CRC-32 and the frame by its own.
 */
export function encodeJournalRecord(header: JournalHeader, payload: Uint8Array): Uint8Array[] {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const frame = Buffer.alloc(recordFrameBytes);
  recordMagic.copy(frame, 0);
  frame.writeUInt32LE(json.byteLength, 4);
  frame.writeUInt32LE(payload.byteLength, 8);
  frame.writeUInt32LE(crc32(payload, crc32(json)), 12);
  frame.writeUInt32LE(crc32(frame.subarray(0, 16)), 16);
  return [frame, json, payload];
}

/** The bytes a journal file starts with: the signature and the format version. */
export function encodeJournalPreamble(): Uint8Array {
  const preamble = Buffer.alloc(journalPreambleBytes);
  journalSignature.copy(preamble, 0);
  preamble.writeUInt32LE(journalVersion, 4);
  return preamble;
}
