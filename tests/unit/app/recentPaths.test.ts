import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addRecentPath, readRecentPaths, writeRecentPaths } from '../../../main/app/recentPaths.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-recent-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('recentPaths', () => {
  it('keeps the last ten distinct paths, most recent first, across a write and a read', async () => {
    let list: string[] = [];
    for (let n = 0; n < 12; n++) list = addRecentPath(list, `/scan-${n}`);
    list = addRecentPath(list, '/scan-5');
    expect(list).toEqual(['/scan-5', '/scan-11', '/scan-10', '/scan-9', '/scan-8', '/scan-7', '/scan-6', '/scan-4', '/scan-3', '/scan-2']);
    const file = join(scratch, 'recent.json');
    await writeRecentPaths(file, list);
    expect(await readRecentPaths(file)).toEqual(list);
  });

  it('reads a missing or corrupt file as empty', async () => {
    expect(await readRecentPaths(join(scratch, 'none.json'))).toEqual([]);
    writeFileSync(join(scratch, 'bad.json'), '{"not": "a list"');
    expect(await readRecentPaths(join(scratch, 'bad.json'))).toEqual([]);
    writeFileSync(join(scratch, 'mixed.json'), '["/a", 3, null, "/b"]');
    expect(await readRecentPaths(join(scratch, 'mixed.json'))).toEqual(['/a', '/b']);
  });
});
