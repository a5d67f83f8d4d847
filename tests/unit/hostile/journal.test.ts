import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { constants, crc32, createGzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabelEdit, RecoveryInfo, SegmentDef } from '../../../core/contract.js';
import { createRecoveryJournal } from '../../../main/recovery/createRecoveryJournal.js';
import { runNodeMeasured } from '../../runNodeMeasured.js';

/**
 * Damaged crash-recovery journals (issue 11): each is a real journal written
 * through createRecoveryJournal, then damaged byte by byte, and opened in a
 * child process as the app opens it (find, then restore). What comes back must
 * be exactly the labels before the first damaged record, with the records
 * from it on counted as dropped, never applied, and never an uncoded error.
 */

const script = resolve('dist/tests/unit/hostile/restoreJournalScript.js');
const scratch = mkdtempSync(join(tmpdir(), 'axial-hostile-journal-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const voxelCount = 16 * 16 * 16;
const key = 'f'.repeat(32);
/** `node -e 0` peaks near 50 MiB; restoring a 4096-voxel journal adds a few. Before the cap, the bomb took 3.2 GB. */
const peakBoundMiB = 128;

const segment = (value: number): SegmentDef => ({
  layer: 0,
  value,
  name: `label ${value}`,
  colour: [value * 40, 80, 60],
  algorithmType: 'MANUAL',
  locked: false,
});
/** Four edits of layer 0, one run each: (first voxel, count, label). */
const strokes = [
  [200, 50, 2],
  [300, 10, 3],
  [1000, 20, 4],
  [2000, 5, 2],
] as const;

interface Journal {
  readonly dir: string;
  readonly file: string;
  readonly bytes: Buffer;
  /** The file's size after the base and after each edit: record n spans ends[n-1]..ends[n]. */
  readonly ends: readonly number[];
  /** The labels after the base and after each edit, computed here by hand. */
  readonly states: readonly Uint8Array[];
  /** The segment names after the base and after each edit. */
  readonly tables: readonly (readonly string[])[];
}

let journals = 0;
/** A whole journal of a base (label 1 on voxels 0–99) and the four strokes, written by the real API. */
async function writeJournal(): Promise<Journal> {
  const dir = join(scratch, `journal-${journals++}`);
  const journal = createRecoveryJournal(dir);
  const file = join(dir, `${key}.axial-recovery`);
  const base = new Uint8Array(voxelCount).fill(1, 0, 100);
  await journal.begin(key, { name: 'abdomen segmentation', layers: [base.slice()], segments: [segment(1)] });
  const ends = [statSync(file).size];
  const states = [base];
  const tables: string[][] = [['label 1']];
  for (const [n, [start, count, value]] of strokes.entries()) {
    const segments = [1, 2, 3, 4].slice(0, n + 2).map(segment);
    await journal.append(key, [runsOf(start, count, value)], segments);
    ends.push(statSync(file).size);
    states.push(states[n]!.slice().fill(value, start, start + count));
    tables.push(segments.map((s) => s.name));
  }
  return { dir, file, bytes: readFileSync(file), ends, states, tables };
}

/** Flips the bits of `mask` in byte `at`. */
function flip(bytes: Buffer, at: number, mask: number): void {
  bytes.writeUInt8(bytes.readUInt8(at) ^ mask, at);
}

function runsOf(start: number, count: number, value: number): LabelEdit {
  return { layer: 0, runs: new Uint8Array(Uint32Array.from([start, count, value]).buffer) };
}

/**
 * A record framed as journalFormat documents it, built here independently:
 * "AXRR", u32 header and payload lengths, CRC-32 of header + payload, CRC-32 of
 * the frame so far, then the header text and the payload.
 */
function frameRecord(header: string, payload: Buffer): Buffer {
  const json = Buffer.from(header, 'utf8');
  const frame = Buffer.alloc(20);
  frame.write('AXRR', 0, 'latin1');
  frame.writeUInt32LE(json.length, 4);
  frame.writeUInt32LE(payload.length, 8);
  frame.writeUInt32LE(crc32(payload, crc32(json)), 12);
  frame.writeUInt32LE(crc32(frame.subarray(0, 16)), 16);
  return Buffer.concat([frame, json, payload]);
}

interface Opened {
  readonly found: RecoveryInfo | null;
  readonly restored?: { layers: { type: string; base64: string }[]; segments: string[]; edits: number; dropped: number; damage: string | null };
  readonly error?: { code: string; message: string };
  readonly ms: number;
  readonly peakMiB: number;
}

/** Writes `bytes` as the journal and opens it in a measured child process. */
async function openDamaged(journal: Journal, bytes: Buffer): Promise<Opened> {
  writeFileSync(journal.file, bytes);
  const run = await runNodeMeasured([script, journal.dir, key, String(voxelCount)]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { ...(JSON.parse(run.stdout) as Omit<Opened, 'ms' | 'peakMiB'>), ms: run.ms, peakMiB: run.peakMiB };
}

/** Expects the labels and segment table after the first `edits` edits, and `dropped` records dropped after them. */
function expectPrefix(opened: Opened, journal: Journal, edits: number, dropped: number, damage: RegExp): void {
  expect(opened.error).toBeUndefined();
  expect(opened.found).toMatchObject({ maskName: 'abdomen segmentation', edits, dropped });
  expect(opened.found!.damage).toMatch(damage);
  const restored = opened.restored!;
  expect(restored).toMatchObject({ edits, dropped, damage: opened.found!.damage, segments: journal.tables[edits] });
  expect(restored.layers).toHaveLength(1);
  expect(restored.layers[0]!.type).toBe('uint8');
  const labels = Buffer.from(restored.layers[0]!.base64, 'base64');
  expect(labels.equals(Buffer.from(journal.states[edits]!))).toBe(true);
  expect(opened.ms).toBeLessThan(10_000);
  expect(opened.peakMiB).toBeLessThan(peakBoundMiB);
}

describe('a damaged recovery journal restores its valid prefix and counts what it drops', () => {
  it('is whole as written: all four edits, nothing dropped', async () => {
    const journal = await writeJournal();
    const opened = await openDamaged(journal, journal.bytes);
    expect(opened.found).toMatchObject({ edits: 4, dropped: 0, damage: null });
    expect(Buffer.from(opened.restored!.layers[0]!.base64, 'base64').equals(Buffer.from(journal.states[4]!))).toBe(true);
  });

  it("a bit flip in an edit's runs (label 3 would become 7): that edit and the two after it are dropped, not applied", async () => {
    const journal = await writeJournal();
    const bytes = Buffer.from(journal.bytes);
    const valueAt = journal.ends[2]! - 4; // the second edit's one run ends with its label
    expect(bytes.readUInt32LE(valueAt)).toBe(3);
    flip(bytes, valueAt, 0x04);
    const opened = await openDamaged(journal, bytes);
    expectPrefix(opened, journal, 1, 3, /^3 later edits were damaged and cannot be restored \(edit 2 fails its checksum\)\.$/);
    expect(
      Buffer.from(opened.restored!.layers[0]!.base64, 'base64')
        .subarray(300, 310)
        .every((v) => v === 0),
    ).toBe(true);
  });

  it('a last record cut short by the crash: the three before it are restored, one dropped', async () => {
    const journal = await writeJournal();
    const opened = await openDamaged(journal, journal.bytes.subarray(0, journal.ends[4]! - 7));
    expectPrefix(opened, journal, 3, 1, /^1 later edit was damaged and cannot be restored \(edit 4 was cut short\)\.$/);
  });

  it('a damaged record frame in the middle (its header length): the records after it are found again, counted and not applied', async () => {
    const journal = await writeJournal();
    const bytes = Buffer.from(journal.bytes);
    flip(bytes, journal.ends[1]! + 5, 0x10); // the second edit's header length, now 4 KiB too long
    const opened = await openDamaged(journal, bytes);
    expectPrefix(opened, journal, 1, 3, /^3 later edits were damaged and cannot be restored \(edit 2 is unreadable\)\.$/);
  });

  it('a damaged JSON header in the middle (frame intact): skipped by its length, the two after it counted and not applied', async () => {
    const journal = await writeJournal();
    const bytes = Buffer.from(journal.bytes);
    flip(bytes, journal.ends[2]! + 20 + 10, 0x01); // inside the third edit's header text
    const opened = await openDamaged(journal, bytes);
    expectPrefix(opened, journal, 2, 2, /^2 later edits were damaged and cannot be restored \(edit 3 fails its checksum\)\.$/);
  });

  it('a run outside the volume (checksums intact, written by the real append): it and the edit after it are dropped, the rest restores', async () => {
    const journal = await writeJournal();
    const writer = createRecoveryJournal(journal.dir);
    writeFileSync(journal.file, journal.bytes.subarray(0, journal.ends[2]));
    await writer.append(key, [runsOf(voxelCount - 2, 5, 9)], [segment(1)]);
    await writer.append(key, [runsOf(10, 5, 2)], [segment(1)]);
    const opened = await openDamaged(journal, readFileSync(journal.file));
    expectPrefix(opened, journal, 2, 2, /^2 later edits were damaged and cannot be restored \(edit 3 does not fit the scan\)\.$/);
  });

  it.each([
    ['wrong types', JSON.stringify({ type: 'edit', savedAt: 'now', segments: 'liver', edits: { layer: 0, bytes: 12 } })],
    [
      'a segment of the wrong shape',
      JSON.stringify({ type: 'edit', savedAt: 'now', segments: [{ layer: 0, value: 70000, name: 'x' }], edits: [{ layer: 0, bytes: 12 }] }),
    ],
    ['not JSON', '{"type":"edit","segments":[ '],
  ])('a record whose header has %s (checksums intact): dropped with those after it, no internal error', async (_, header) => {
    const journal = await writeJournal();
    const crafted = frameRecord(header, Buffer.from(Uint32Array.from([0, 4096, 9]).buffer));
    const bytes = Buffer.concat([journal.bytes.subarray(0, journal.ends[2]), crafted, journal.bytes.subarray(journal.ends[2])]);
    const opened = await openDamaged(journal, bytes);
    expectPrefix(opened, journal, 2, 3, /^3 later edits were damaged and cannot be restored \(edit 3 holds malformed data\)\.$/);
  });

  it('a damaged base: nothing can be restored, every edit is counted, and restore says RECOVERY_DAMAGED', async () => {
    const journal = await writeJournal();
    const bytes = Buffer.from(journal.bytes);
    flip(bytes, journal.ends[0]! - 10, 0x80); // inside the base's gzip
    const opened = await openDamaged(journal, bytes);
    expect(opened.found).toMatchObject({
      edits: 0,
      dropped: 4,
      damage: 'The recovery file is damaged (its copy of the segmentation fails its checksum): none of its 4 edits can be restored.',
    });
    expect(opened.error).toMatchObject({ code: 'RECOVERY_DAMAGED', message: expect.stringMatching(/CRC-32 0x[0-9a-f]{8}, its frame says 0x[0-9a-f]{8}/) });
    expect(opened.ms).toBeLessThan(10_000);
    expect(opened.peakMiB).toBeLessThan(peakBoundMiB);
  });

  it('a base that would inflate to 3 GiB stops at what the volume needs: RECOVERY_DAMAGED, fast and small (before: 15 s, 3.2 GB)', async () => {
    const journal = await writeJournal();
    const bomb = join(journal.dir, 'bomb.gz');
    await writeZeroBomb(bomb, 3 * 1024);
    const payload = readFileSync(bomb);
    expect(payload.length).toBeLessThan(4 * 2 ** 20);
    const base = { type: 'base', savedAt: new Date().toISOString(), name: 'abdomen segmentation', voxelCount, layers: ['uint8'], segments: [] };
    const bytes = Buffer.concat([journal.bytes.subarray(0, 8), frameRecord(JSON.stringify(base), payload), journal.bytes.subarray(journal.ends[0])]);
    const opened = await openDamaged(journal, bytes);
    expect(opened.found).toMatchObject({ edits: 4, dropped: 0 });
    expect(opened.error).toMatchObject({
      code: 'RECOVERY_DAMAGED',
      message: expect.stringMatching(/base inflates past 4096 bytes \(stopped there\): its 1 label layer of 4096 voxels need 4096 bytes/),
    });
    expect(opened.ms).toBeLessThan(10_000);
    expect(opened.peakMiB).toBeLessThan(peakBoundMiB);
  });
});

/**
 * A gzip stream of `mebibytes` MiB of zeros, streamed to `path` without ever
 * compressing them: one MiB is deflated once and flushed so its block starts
 * on a byte and needs no earlier window; that block is then written again and
 * again. (The trailer's CRC is that of 2 MiB: a capped reader stops long before it.)
 */
async function writeZeroBomb(path: string, mebibytes: number): Promise<void> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const deflateOneMiB = async (): Promise<Buffer> => {
    gzip.write(Buffer.alloc(2 ** 20));
    await new Promise<void>((done) => gzip.flush(constants.Z_FULL_FLUSH, () => done()));
    return Buffer.concat(chunks.splice(0));
  };
  const head = await deflateOneMiB();
  const block = await deflateOneMiB();
  gzip.end();
  await finished(gzip);
  const out = createWriteStream(path);
  out.write(head);
  for (let n = 1; n < mebibytes; n++) if (!out.write(block)) await new Promise<void>((drain) => out.once('drain', () => drain()));
  out.end(Buffer.concat(chunks));
  await finished(out);
}
