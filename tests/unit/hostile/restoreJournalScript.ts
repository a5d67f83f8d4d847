/**
 * `node dist/tests/unit/hostile/restoreJournalScript.js <dir> <key> <voxelCount>`:
 * opens the recovery journal for `key` in `dir` as the app does (find, then
 * restore) and prints one JSON line: what find offered, then the restored
 * layers (base64) and segment names, or the error's code and message. Run
 * measured (runNodeMeasured) by the hostile-journal spec.
 */
import { createRecoveryJournal } from '../../../main/recovery/createRecoveryJournal.js';

const [dir, key, voxels] = process.argv.slice(2);
const journal = createRecoveryJournal(dir!);
const found = await journal.find(key!);
try {
  const restored = await journal.restore(key!, Number(voxels));
  const layers = restored.layers.map((l) => ({
    type: l instanceof Uint16Array ? 'uint16' : 'uint8',
    base64: Buffer.from(l.buffer, l.byteOffset, l.byteLength).toString('base64'),
  }));
  const { edits, dropped, damage } = restored;
  console.log(JSON.stringify({ found, restored: { layers, segments: restored.segments.map((s) => s.name), edits, dropped, damage } }));
} catch (error) {
  const { code, message } = error as { code?: string; message: string };
  console.log(JSON.stringify({ found, error: { code: code ?? 'uncoded', message } }));
}
