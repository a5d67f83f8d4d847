import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabelEdit, SegmentDef } from '../../../core/contract.js';
import { createRecoveryJournal } from '../../../main/recovery/createRecoveryJournal.js';
import { expectAxialError } from '../../expectAxialError.js';
import { fifo, within } from '../../fifo.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-journal-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(scratch, `dir-${dirs++}`);

const voxelCount = 1000;
const key = 'a'.repeat(32);
const liver: SegmentDef = { layer: 0, value: 1, name: 'liver', colour: [200, 80, 60], algorithmType: 'MANUAL', locked: false };
const vessel: SegmentDef = { layer: 1, value: 300, name: 'vessel', colour: [60, 80, 200], algorithmType: 'SEMIAUTOMATIC', algorithmName: 'demo', locked: true };

function edit(layer: number, ...runs: (readonly [number, number, number])[]): LabelEdit {
  return { layer, runs: new Uint8Array(Uint32Array.from(runs.flat()).buffer) };
}

describe('createRecoveryJournal', () => {
  it('restores every edit: a widened layer, an added layer, the last segment table', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    const base = new Uint8Array(voxelCount).fill(1, 10, 20);
    await journal.begin(key, { name: 'ct labels', layers: [base], segments: [liver] });
    await journal.append(key, [edit(0, [15, 10, 2], [900, 100, 7])], [liver]);
    await journal.append(key, [edit(0, [0, 3, 1000]), edit(1, [500, 2, 300])], [liver, vessel]);

    expect(await journal.find(key)).toEqual({ maskName: 'ct labels', savedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), edits: 2, dropped: 0, damage: null });
    const restored = await journal.restore(key, voxelCount);
    expect(restored).toMatchObject({ name: 'ct labels', segments: [liver, vessel], edits: 2, dropped: 0, damage: null });
    const [layer0, layer1] = restored.layers;
    expect(layer0).toBeInstanceOf(Uint16Array);
    const expected0 = new Uint16Array(voxelCount).fill(1, 10, 20).fill(2, 15, 25).fill(7, 900).fill(1000, 0, 3);
    expect(Array.from(layer0!)).toEqual(Array.from(expected0));
    expect(layer1).toBeInstanceOf(Uint16Array);
    expect(Array.from(layer1!)).toEqual(Array.from(new Uint16Array(voxelCount).fill(300, 500, 502)));
  });

  it('writes the format marker and one framed, checksummed record per call', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [] });
    await journal.append(key, [edit(0, [1, 2, 3])], [liver]);
    const bytes = readFileSync(join(dir, `${key}.axial-recovery`));
    expect(bytes.toString('latin1', 0, 4)).toBe('AXRJ');
    expect(bytes.readUInt32LE(4)).toBe(5);
    let at = 8;
    const types: string[] = [];
    while (at < bytes.length) {
      expect(bytes.toString('latin1', at, at + 4)).toBe('AXRR');
      const [headerLength, payloadLength] = [bytes.readUInt32LE(at + 4), bytes.readUInt32LE(at + 8)];
      const body = bytes.subarray(at + 20, at + 20 + headerLength + payloadLength);
      expect(bytes.readUInt32LE(at + 12)).toBe(crc32(body));
      expect(bytes.readUInt32LE(at + 16)).toBe(crc32(bytes.subarray(at, at + 16)));
      types.push((JSON.parse(body.toString('utf8', 0, headerLength)) as { type: string }).type);
      at += 20 + headerLength + payloadLength;
    }
    expect(at).toBe(bytes.length);
    expect(types).toEqual(['base', 'edit']);
  });

  it('keeps the files the segmentation came from besides the scan, so that a restored one is not exported over them', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    const inputs = ['/data/ct labels.nii.gz', '/models/spleen/model.onnx'];
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [liver], inputs });
    await journal.append(key, [edit(0, [1, 2, 3])], [liver]);
    expect((await journal.restore(key, voxelCount)).inputs).toEqual(inputs);
    await journal.begin(key, { name: 'drawn', layers: [new Uint8Array(voxelCount)], segments: [liver] });
    await journal.append(key, [edit(0, [1, 2, 3])], [liver]);
    expect((await journal.restore(key, voxelCount)).inputs).toEqual([]);
  });

  it('keeps the inputs of a several-image model on DICOM (2000 long paths), and leaves out a list too long to read back', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    const slice = (n: number, length: number): string => `C:\\Studies\\${'brain MR ñ '.repeat(length / 11)}\\FLAIR\\IM${String(n).padStart(6, '0')}.dcm`;
    const many = Array.from({ length: 2000 }, (_, n) => slice(n, 200));
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [liver], inputs: many, unsaved: true });
    expect(await journal.find(key)).toMatchObject({ edits: 1, dropped: 0, damage: null });
    expect((await journal.restore(key, voxelCount)).inputs).toEqual(many);
    // 6000 paths of 3000 characters: 20 MB of JSON, past a whole header. The base is kept, restorable, without them.
    const tooMany = Array.from({ length: 6000 }, (_, n) => slice(n, 3000));
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [liver], inputs: tooMany, unsaved: true });
    expect(await journal.find(key)).toMatchObject({ edits: 1, dropped: 0, damage: null });
    expect((await journal.restore(key, voxelCount)).inputs).toEqual([]);
  });

  it("offers a base that is unsaved work itself (a model's result) as one change, and the edits after it on top", async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    const result = new Uint8Array(voxelCount).fill(1, 100, 400);
    await journal.begin(key, { name: 'model segmentation', layers: [result], segments: [liver], unsaved: true });
    expect(await journal.find(key)).toMatchObject({ maskName: 'model segmentation', edits: 1, dropped: 0, damage: null });
    await journal.append(key, [edit(0, [390, 20, 0])], [liver]);
    const restored = await journal.restore(key, voxelCount);
    expect(restored).toMatchObject({ name: 'model segmentation', segments: [liver], edits: 2, dropped: 0, damage: null });
    expect(Array.from(restored.layers[0]!)).toEqual(Array.from(new Uint8Array(voxelCount).fill(1, 100, 390)));
    // A base that is not unsaved work is the saved state: alone, it offers nothing, as before.
    await journal.begin(key, { name: 'saved', layers: [result], segments: [liver], unsaved: false });
    expect(await journal.find(key)).toBeNull();
  });

  it('offers nothing when there is no journal or only its base; restoring a missing one is RECOVERY_UNREADABLE', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    expect(await journal.find(key)).toBeNull();
    await expectAxialError(journal.restore(key, voxelCount), 'RECOVERY_UNREADABLE', /cannot read the recovery file/);
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [] });
    expect(await journal.find(key)).toBeNull();
    expect(await journal.discard(key)).toBe(true);
    expect(await journal.discard(key)).toBe(false);
  });

  it('says a FIFO put where a journal goes cannot be read, at once, instead of waiting on it for ever', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const path = fifo.make(join(dir, `${key}.axial-recovery`));
    try {
      const journal = createRecoveryJournal(dir);
      expect(await within(journal.find(key), 20_000)).toMatchObject({ edits: 0, damage: 'The recovery file cannot be read (INPUT_NOT_A_FILE).' });
      const restored = await within(
        journal.restore(key, voxelCount).catch((error: unknown) => error),
        20_000,
      );
      expect(restored).toMatchObject({ code: 'RECOVERY_UNREADABLE', message: expect.stringMatching(/not a regular file/) as unknown });
    } finally {
      fifo.release(path);
    }
  });

  it('refuses a journal written for a volume of another size: RECOVERY_DAMAGED', async () => {
    const journal = createRecoveryJournal(freshDir());
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [] });
    await journal.append(key, [edit(0, [1, 2, 3])], [liver]);
    await expectAxialError(journal.restore(key, voxelCount + 1), 'RECOVERY_DAMAGED', /written for a volume of 1000 voxels, this one has 1001/);
  });

  it("says an older Axial's journal cannot be restored, counting its edits, with a code and no crash", async () => {
    const dir = freshDir();
    mkdirSync(dir);
    // Version 1: u32 header length, header JSON, u32 payload length, payload; no signature, no checksums.
    const legacy = (header: object, payload: Buffer): Buffer[] => {
      const json = Buffer.from(JSON.stringify(header));
      const lengths = Buffer.alloc(8);
      lengths.writeUInt32LE(json.length, 0);
      const payloadLength = Buffer.alloc(4);
      payloadLength.writeUInt32LE(payload.length);
      return [lengths.subarray(0, 4), json, payloadLength, payload];
    };
    const runs = Buffer.from(Uint32Array.from([1, 2, 3]).buffer);
    writeFileSync(
      join(dir, `${key}.axial-recovery`),
      Buffer.concat([
        ...legacy({ type: 'base', savedAt: 'x', segments: [], name: 'old', layers: ['uint8'] }, Buffer.alloc(30)),
        ...legacy({ type: 'edit', savedAt: 'y', segments: [], edits: [{ layer: 0, bytes: 12 }] }, runs),
        ...legacy({ type: 'edit', savedAt: 'z', segments: [], edits: [{ layer: 0, bytes: 12 }] }, runs),
      ]),
    );
    const journal = createRecoveryJournal(dir);
    expect(await journal.find(key)).toMatchObject({
      edits: 0,
      dropped: 2,
      damage: 'The recovery file was written by an older version of Axial: its 2 edits cannot be restored.',
    });
    await expectAxialError(journal.restore(key, voxelCount), 'RECOVERY_DAMAGED', /older version of Axial.*journal format 1/);
  });

  it('after restoring a damaged journal, cuts it to the valid prefix so that new edits are not hidden behind the damage', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    const file = join(dir, `${key}.axial-recovery`);
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [] });
    await journal.append(key, [edit(0, [0, 10, 1])], [liver]);
    const validEnd = statSync(file).size;
    await journal.append(key, [edit(0, [10, 10, 2])], [liver]);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(file, bytes);

    const restored = await journal.restore(key, voxelCount);
    expect(restored).toMatchObject({ edits: 1, dropped: 1, damage: '1 later edit was damaged and cannot be restored (edit 2 fails its checksum).' });
    expect(statSync(file).size).toBe(validEnd);
    await journal.append(key, [edit(0, [20, 10, 3])], [liver]);
    expect(await journal.find(key)).toMatchObject({ edits: 2, dropped: 0, damage: null });
    const labels = (await journal.restore(key, voxelCount)).layers[0]!;
    expect([labels[0], labels[10], labels[20], labels[30]]).toEqual([1, 0, 3, 0]);
  });

  it('writes the segment table only when it changed, and restores the last one written', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    // A TotalSegmentator-sized table: 117 segments.
    const many = Array.from({ length: 117 }, (_, n): SegmentDef => ({ ...liver, value: n + 1, name: `structure number ${n + 1}` }));
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: many });
    const file = join(dir, `${key}.axial-recovery`);
    const afterBase = statSync(file).size;
    for (let n = 0; n < 50; n++) await journal.append(key, [edit(0, [n, 1, 5])], many);
    // 50 strokes: about 200 bytes each, where each repeated the 16 KB table before.
    expect((statSync(file).size - afterBase) / 50).toBeLessThan(400);
    const renamed = many.map((s, n) => (n === 4 ? { ...s, name: 'kidney' } : s));
    await journal.append(key, [edit(0, [60, 1, 5])], renamed);
    await journal.append(key, [edit(0, [61, 1, 5])], renamed);
    const restored = await journal.restore(key, voxelCount);
    expect(restored.edits).toBe(52);
    expect(restored.segments).toEqual(renamed);
    expect(Array.from(restored.layers[0]!.subarray(0, 62)).filter((v) => v === 5)).toHaveLength(52);

    // A journal of the format before (version 2, a table in every record) restores as it did.
    const older = freshDir();
    const old = createRecoveryJournal(older);
    await old.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [liver] });
    await old.append(key, [edit(0, [1, 2, 3])], [liver, vessel]);
    await old.append(key, [edit(1, [5, 1, 300])], [vessel]);
    const olderFile = join(older, `${key}.axial-recovery`);
    const bytes = readFileSync(olderFile);
    bytes.writeUInt32LE(2, 4);
    writeFileSync(olderFile, bytes);
    expect(await createRecoveryJournal(older).restore(key, voxelCount)).toMatchObject({ edits: 2, segments: [vessel], damage: null });
  });

  it('writes one journal in call order: a stroke still being written when another mask takes the journal lands before its base', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    await journal.begin(key, { name: 'first', layers: [new Uint8Array(voxelCount)], segments: [liver] });
    // A 64 MB stroke of the first mask, and the second mask's first edit, not awaited in between.
    const stroke = journal.append(key, [{ layer: 0, runs: new Uint8Array(64 << 20) }], [liver]);
    const taken = journal.begin(key, { name: 'second', layers: [new Uint8Array(voxelCount)], segments: [] });
    await Promise.all([stroke, taken]);
    // The second mask adds the table the first had: it must be written, since the base it follows has none.
    await journal.append(key, [edit(0, [5, 3, 1])], [liver]);
    expect(await journal.restore(key, voxelCount)).toMatchObject({ name: 'second', edits: 1, segments: [liver] });
  });

  it('does not make a journal with no base: an append after the journal was removed fails, and nothing is offered', async () => {
    const dir = freshDir();
    const journal = createRecoveryJournal(dir);
    await journal.begin(key, { name: 'm', layers: [new Uint8Array(voxelCount)], segments: [] });
    const discarded = journal.discard(key);
    await expect(journal.append(key, [edit(0, [1, 2, 3])], [liver])).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await discarded).toBe(true);
    expect(await journal.find(key)).toBeNull();
  });
});
