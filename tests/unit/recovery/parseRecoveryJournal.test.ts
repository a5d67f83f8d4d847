import { describe, expect, it } from 'vitest';
import { encodeJournalPreamble, encodeJournalRecord } from '../../../main/recovery/encodeJournalRecord.js';
import { parseRecoveryJournal } from '../../../main/recovery/parseRecoveryJournal.js';

const preamble = Buffer.from(encodeJournalPreamble());
const base = Buffer.concat(encodeJournalRecord({ type: 'base', savedAt: 't0', name: 'm', voxelCount: 10, layers: ['uint8'], segments: [] }, Buffer.alloc(7)));
const edit = (value: number): Buffer =>
  Buffer.concat(
    encodeJournalRecord({ type: 'edit', savedAt: 't1', segments: [], edits: [{ layer: 0, bytes: 12 }] }, Buffer.from(Uint32Array.from([0, 10, value]).buffer)),
  );

describe('parseRecoveryJournal', () => {
  it("reads a whole journal: base, edits in order, nothing dropped, the valid prefix ending at the file's end", () => {
    const bytes = Buffer.concat([preamble, base, edit(1), edit(2)]);
    const reading = parseRecoveryJournal(bytes);
    expect(reading).toMatchObject({ dropped: 0, damage: null, detail: null, validBytes: bytes.length });
    expect(reading.edits.map((e) => new Uint32Array(e.edits[0]!.runs.slice().buffer)[2])).toEqual([1, 2]);
  });

  it('reads the versions before this one (2 to 4: no inputs, nor in 2 and 3 an unsaved flag, on the base) as they are', () => {
    for (const version of [2, 3, 4]) {
      const older = Buffer.from(preamble);
      older.writeUInt32LE(version, 4);
      expect(parseRecoveryJournal(Buffer.concat([older, base, edit(1)]))).toMatchObject({ dropped: 0, damage: null, edits: [expect.anything()] });
    }
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 0, null],
    ['a signature only', preamble, 0, 'The recovery file is damaged (its copy of the segmentation is missing): nothing can be restored.'],
    [
      'a base cut short, one edit after it',
      Buffer.concat([preamble, base.subarray(0, 30), edit(1)]),
      1,
      'The recovery file is damaged (its copy of the segmentation fails its checksum): its 1 edit cannot be restored.',
    ],
    [
      'a base cut short at the end',
      Buffer.concat([preamble, base.subarray(0, 30)]),
      0,
      'The recovery file is damaged (its copy of the segmentation was cut short): nothing can be restored.',
    ],
    [
      'a newer format',
      Buffer.concat([Buffer.from('AXRJ'), Buffer.from([6, 0, 0, 0]), base]),
      0,
      'The recovery file was written by a newer version of Axial and cannot be restored here.',
    ],
    ['not a journal', Buffer.from('GIF89a, not a journal at all'), 0, 'The recovery file is damaged: nothing in it can be restored.'],
  ] as const)('has no base in %s, and says so', (_, bytes, dropped, damage) => {
    expect(parseRecoveryJournal(bytes)).toMatchObject({ base: null, edits: [], dropped, damage, validBytes: 0 });
  });

  it('drops every edit, intact or not, after the first bad one: edits build on each other', () => {
    const damaged = edit(2);
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 1) ^ 1, damaged.length - 1);
    const reading = parseRecoveryJournal(Buffer.concat([preamble, base, edit(1), damaged, edit(3), edit(4)]));
    expect(reading).toMatchObject({ dropped: 3, damage: '3 later edits were damaged and cannot be restored (edit 2 fails its checksum).' });
    expect(reading.edits).toHaveLength(1);
    expect(reading.validBytes).toBe(preamble.length + base.length + edit(1).length);
  });

  it('counts the records after a write cut short and followed by later ones (not skipping them by its lengths)', () => {
    const torn = edit(2).subarray(0, 25);
    const reading = parseRecoveryJournal(Buffer.concat([preamble, base, edit(1), torn, edit(3), edit(4)]));
    expect(reading).toMatchObject({ dropped: 3, damage: '3 later edits were damaged and cannot be restored (edit 2 fails its checksum).' });
  });

  it('does not take a stray magic inside a payload for a record when resynchronising', () => {
    // An edit whose run value spells "AXRR" (0x52525841), behind a record whose frame is damaged.
    const stray = edit(0x52525841);
    const broken = edit(1);
    broken.writeUInt8(broken.readUInt8(0) ^ 1, 0);
    const reading = parseRecoveryJournal(Buffer.concat([preamble, base, broken, stray, edit(2)]));
    expect(reading).toMatchObject({ dropped: 3, damage: '3 edits were damaged and cannot be restored (edit 1 is unreadable).' });
  });
});
