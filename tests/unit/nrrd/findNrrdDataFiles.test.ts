import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAxialError } from '../../../main/errors/AxialError.js';
import { findNrrdDataFiles } from '../../../main/nrrd/findNrrdDataFiles.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'axial-findNrrdDataFiles-')));
const folder = join(root, 'scan');
mkdirSync(join(folder, 'data'), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = ['NRRD0004', 'type: uchar', 'dimension: 3', 'sizes: 2 2 2', 'encoding: raw'];

function header(name: string, lines: string[], attached = ''): string {
  const path = join(folder, name);
  writeFileSync(path, [...base, ...lines].join('\n') + '\n\n' + attached, 'latin1');
  return path;
}

async function codeOf(path: string): Promise<[string | false, string]> {
  const error: unknown = await findNrrdDataFiles(path).catch((e: unknown) => e);
  return [isAxialError(error) && error.code, (error as Error).message];
}

describe('findNrrdDataFiles', () => {
  it('gives [] for attached data and the resolved path of a single data file', async () => {
    expect(await findNrrdDataFiles(header('attached.nrrd', [], '\x00'.repeat(8)))).toEqual([]);
    writeFileSync(join(folder, 'data', 'vol.raw'), Buffer.alloc(8));
    expect(await findNrrdDataFiles(header('one.nhdr', ['data file: data/vol.raw']))).toEqual([join(folder, 'data', 'vol.raw')]);
  });

  it('gives [] for a LIST or a printf-style range, which readNrrd refuses, so no file of theirs is ever read', async () => {
    expect(await findNrrdDataFiles(header('list.nhdr', ['data file: LIST 2', 'a.raw', 'data/b.raw']))).toEqual([]);
    expect(await findNrrdDataFiles(header('range.nhdr', ['data file: data/s%03d.raw 10 4 -3 2']))).toEqual([]);
  });

  it('resolves symlinks inside the folder to their targets', async () => {
    symlinkSync(join(folder, 'data', 'vol.raw'), join(folder, 'link.raw'));
    expect(await findNrrdDataFiles(header('link.nhdr', ['data file: link.raw']))).toEqual([join(folder, 'data', 'vol.raw')]);
  });

  it('refuses a data file outside the header folder, however it is named', async () => {
    writeFileSync(join(root, 'outside.raw'), Buffer.alloc(8));
    symlinkSync(join(root, 'outside.raw'), join(folder, 'out-link.raw'));
    symlinkSync(root, join(folder, 'up'));
    const cases = [
      header('passwd.nhdr', ['data file: /etc/passwd']),
      header('dotdot.nhdr', ['data file: ../outside.raw']),
      header('missing-dotdot.nhdr', ['data file: ../../nowhere.raw']),
      header('symlink.nhdr', ['data file: out-link.raw']),
      header('via-folder.nhdr', ['data file: up/outside.raw']),
    ];
    for (const path of cases) {
      const [code, message] = await codeOf(path);
      expect(code, path).toBe('INPUT_PATH_OUTSIDE_FOLDER');
      expect(message).toContain(path);
      expect(message).toMatch(/outside the folder/);
    }
  });

  it('refuses a link to nothing, whose target cannot be checked', async () => {
    symlinkSync(join(root, 'gone.raw'), join(folder, 'dangling.raw'));
    expect((await codeOf(header('dangling.nhdr', ['data file: dangling.raw'])))[0]).toBe('INPUT_NOT_FOUND');
  });

  it('names a malformed data file field', async () => {
    for (const field of ['LIST', 'x%d.raw 1 5 0', 'x%d.raw 5 1 1', 'x%s.raw 1 2 1', 'x%d.raw 0 1000000000 1 2']) {
      const [code, message] = await codeOf(header('bad.nhdr', [`data file: ${field}`]));
      expect(code, field).toBe('NRRD_BAD_HEADER');
      expect(message).toContain('data file');
    }
  });
});
