import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { identityBundle, labelPhantom } from '../segmentation/process/inferenceFixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-batch-out-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('axial segment --batch --out-dir', () => {
  const batch = join(scratch, 'batch');
  const inputs = ['alpha.nii.gz', 'beta.nii.gz'];

  beforeAll(async () => {
    mkdirSync(batch);
    for (const name of inputs) await writeNifti(labelPhantom([12, 10, 8]), join(batch, name));
  });

  const segment = async (outDir: string, ...more: string[]): Promise<{ code: number; err: string[] }> => {
    const io = captureIo();
    const code = await runCli(['segment', '--model', identityBundle, '--batch', batch, '--out-dir', outDir, '--device', 'cpu', ...more], io);
    return { code, err: io.errLines };
  };

  it('that cannot be made ends OUTPUT_WRITE_FAILED naming it (exit 1, not INTERNAL), before any case runs', async () => {
    // makeBatchOutDir's spec covers each reason; this is the command's exit and message.
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(await segment(file)).toEqual({
      code: 1,
      err: [`axial: error OUTPUT_WRITE_FAILED: ${file}: cannot make the output folder (--out-dir): something that is not a folder is already there (EEXIST)`],
    });
    expect(readdirSync(scratch).sort()).toEqual(['a-file', 'batch']);
  });

  it('that is the batch folder, here through a symlink, is refused before any case runs, with --skip-existing too', async () => {
    const link = join(scratch, 'batch-link');
    symlinkSync(batch, link);
    for (const more of [['--skip-existing'], []]) {
      expect(await segment(link, ...more)).toEqual({
        code: 1,
        err: [`axial: error OUTPUT_IS_INPUT: ${link}: --out-dir is the batch folder ${batch}: its outputs would mix with its inputs; name another folder`],
      });
    }
    // Nothing was written among the inputs: no <case>.axial.json, no summary.
    expect(readdirSync(batch).sort()).toEqual(inputs);
  });

  it('with --skip-existing does not take a list case whose input is its own output for a finished case', async () => {
    // A list kept in the output folder, naming an input that sits there under its output's name.
    const out = join(scratch, 'listed');
    mkdirSync(out);
    await writeNifti(labelPhantom([12, 10, 8]), join(out, 'gamma.nii.gz'));
    writeFileSync(join(out, 'cases.txt'), 'gamma.nii.gz\n');
    const io = captureIo();
    const code = await runCli(
      ['segment', '--model', identityBundle, '--batch', join(out, 'cases.txt'), '--out-dir', out, '--device', 'cpu', '--skip-existing'],
      io,
    );
    expect(code).toBe(1);
    expect(io.errLines.join('\n')).toMatch(/gamma failed: OUTPUT_IS_INPUT/);
    expect(io.errLines.join('\n')).not.toMatch(/skipped \(output exists\)/);
  });
});
