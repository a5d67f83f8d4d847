import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAxialError } from '../../../main/errors/AxialError.js';
import { openRegularFile } from '../../../main/io/openRegularFile.js';
import { readFileRegion } from '../../../main/io/readFileRegion.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-openRegularFile-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('openRegularFile', () => {
  it('opens a regular file and reads it', async () => {
    const path = join(folder, 'plain.bin');
    writeFileSync(path, Buffer.from([1, 2, 3, 4, 5]));
    const handle = await openRegularFile(path);
    expect((await handle.stat()).size).toBe(5);
    await handle.close();
    expect(Array.from(await readFileRegion(path, 1, 3))).toEqual([2, 3, 4]);
    expect(Array.from(await readFileRegion(path, 3, 10))).toEqual([4, 5]);
  });

  it('refuses a folder, naming it and the file that named it', async () => {
    const error = await failure(openRegularFile(folder, { file: '/x/vol.nhdr', describe: `data file ${folder}` }));
    expect(isAxialError(error) && error.code).toBe('INPUT_NOT_A_FILE');
    expect(error.message).toBe(`/x/vol.nhdr: data file ${folder} is a folder, not a regular file`);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO at once, with no writer, and a character device', async () => {
    const fifo = join(folder, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    const error = await failure(readFileRegion(fifo, 0, 10));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(isAxialError(error) && error.code).toBe('INPUT_NOT_A_FILE');
    expect(error.message).toBe(`${fifo}: a FIFO (named pipe), not a regular file`);
    const device = await failure(openRegularFile('/dev/zero'));
    expect(isAxialError(device) && device.code).toBe('INPUT_NOT_A_FILE');
    expect(device.message).toMatch(/character device/);
  });

  it('passes the open error of a missing file through for the caller to code', async () => {
    const error = await failure(readFileRegion(join(folder, 'none'), 0, 1));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
