import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileIdentity } from '../../../main/io/fileIdentity.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-identity-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('fileIdentity', () => {
  it('is one for every path to a folder (a symlink, another spelling), another for another folder, none for nothing', async () => {
    for (const name of ['a', 'b']) mkdirSync(join(scratch, name));
    symlinkSync(join(scratch, 'a'), join(scratch, 'a-link'));
    const a = await fileIdentity(join(scratch, 'a'));
    expect(a).toMatch(/^\d+:\d+$/);
    for (const path of [join(scratch, 'a-link'), `${scratch}/b/../a/`]) expect(await fileIdentity(path)).toBe(a);
    expect(await fileIdentity(join(scratch, 'b'))).not.toBe(a);
    expect(await fileIdentity(join(scratch, 'missing'))).toBeUndefined();
  });
});
