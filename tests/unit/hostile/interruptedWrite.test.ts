import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume } from '../../../main/volume/Volume.js';
import { axialCli } from '../../runNodeMeasured.js';

/*
 * Ctrl-C or a scheduler's SIGTERM while the CLI writes: the write's temporary file goes with the process, which still
 * ends by that signal. Before, a 200 MB hidden temporary file stayed until the next write to the folder.
 */
const scratch = mkdtempSync(join(tmpdir(), 'axial-interrupted-'));
const input = join(scratch, 'zeros.nii.gz');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  // 512×512×400 int16 zeros: 200 MB to write, a few hundred KB to read.
  await writeNifti(
    createVolume({
      dimensions: [512, 512, 400],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      voxels: new Int16Array(512 * 512 * 400),
      metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
    }),
    input,
  );
}, 60_000);

const temporaries = (folder: string): string[] => readdirSync(folder).filter((n) => n.endsWith('.tmp'));

describe.skipIf(process.platform === 'win32')('a write stopped by a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s mid-write: no temporary file is left, and the process ends by that signal',
    async (signal) => {
      const folder = mkdtempSync(join(scratch, 'out-'));
      const child = spawn(process.execPath, [axialCli, 'convert', input, join(folder, 'out.nii')], { stdio: 'ignore' });
      const ended = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_, s) => done(s)));
      let seen = false;
      let finished = false;
      void ended.then(() => (finished = true));
      // The temporary file shows once the voxels are read; stop the command while it is there.
      while (!finished && !seen) {
        seen = temporaries(folder).length > 0;
        if (!seen) await new Promise((r) => setTimeout(r, 1));
      }
      expect(seen, 'the command finished before its temporary file was seen').toBe(true);
      child.kill(signal);
      expect(await ended).toBe(signal);
      expect(temporaries(folder)).toEqual([]);
      expect(existsSync(join(folder, 'out.nii'))).toBe(false);
    },
    60_000,
  );
});
