import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addRecentPath, readRecentPaths, writeRecentPaths } from '../../../main/app/recentPaths.js';
import { fifo, within } from '../../fifo.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-recent-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const ignore = (): void => undefined;

describe('recentPaths', () => {
  it('keeps the last ten distinct paths, most recent first, across a write and a read', async () => {
    let list: string[] = [];
    for (let n = 0; n < 12; n++) list = addRecentPath(list, `/scan-${n}`);
    list = addRecentPath(list, '/scan-5');
    expect(list).toEqual(['/scan-5', '/scan-11', '/scan-10', '/scan-9', '/scan-8', '/scan-7', '/scan-6', '/scan-4', '/scan-3', '/scan-2']);
    const file = join(scratch, 'recent.json');
    await writeRecentPaths(file, list);
    expect(await readRecentPaths(file, ignore)).toEqual(list);
  });

  it('reads a missing or corrupt file as empty', async () => {
    expect(await readRecentPaths(join(scratch, 'none.json'), ignore)).toEqual([]);
    writeFileSync(join(scratch, 'bad.json'), '{"not": "a list"');
    expect(await readRecentPaths(join(scratch, 'bad.json'), ignore)).toEqual([]);
    writeFileSync(join(scratch, 'mixed.json'), '["/a", 3, null, "/b"]');
    expect(await readRecentPaths(join(scratch, 'mixed.json'), ignore)).toEqual(['/a', '/b']);
  });
});

/** recent.json is read before the window opens: whatever lies there must not stall the start. */
describe.skipIf(process.platform === 'win32')('readRecentPaths: what is not a small regular file', () => {
  it('reads a FIFO at recent.json as empty, at once, and says so', async () => {
    const pipe = fifo.make(join(scratch, 'fifo.json'));
    const logged: unknown[] = [];
    try {
      // Generous: reading a file takes milliseconds; a FIFO without a writer would never answer.
      expect(
        await within(
          readRecentPaths(pipe, (error) => logged.push(error)),
          20_000,
        ),
      ).toEqual([]);
      expect(logged).toEqual([expect.objectContaining({ code: 'INPUT_NOT_A_FILE', message: expect.stringContaining(`${pipe}: a FIFO`) })]);
    } finally {
      fifo.release(pipe);
    }
  });

  it('reads a file past 64 KiB as empty without reading it, and says so', async () => {
    const big = join(scratch, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 2 ** 30);
    const logged: unknown[] = [];
    expect(await readRecentPaths(big, (error) => logged.push(error))).toEqual([]);
    expect(logged).toEqual([expect.objectContaining({ code: 'INPUT_TOO_LARGE', message: expect.stringContaining('1073741824 bytes') })]);
  });
});
