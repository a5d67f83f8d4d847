import { linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertNotInput } from '../../../main/io/assertNotInput.js';

// Real path: detached data files are named after symlinks, and a temp folder may itself be one (macOS).
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'axial-not-input-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const real = join(scratch, 'real');
mkdirSync(real);
const input = join(real, 'scan.nii');
writeFileSync(input, 'voxels');
const other = join(real, 'other.nii');
writeFileSync(other, 'other voxels');
symlinkSync(real, join(scratch, 'linked'));

const refusal = (output: string, inputs: string[]): Promise<unknown> =>
  assertNotInput(output, inputs).then(
    () => 'allowed',
    (e: unknown) => e,
  );

describe('assertNotInput', () => {
  it('refuses the input reached through a symlinked folder, naming the output and the input', async () => {
    const through = join(scratch, 'linked', 'scan.nii');
    const error = (await refusal(through, [other, input])) as { code: string; message: string };
    expect(error.code).toBe('OUTPUT_IS_INPUT');
    expect(error.message).toContain(through);
    expect(error.message).toContain(`the output is the input file ${input}`);
    expect(error.message).toMatch(/inode \d+, reached through a link/);
  });

  it('refuses a hard link to an input, a symlink to it, and its own path', async () => {
    const hard = join(scratch, 'hard.nii');
    linkSync(input, hard);
    const soft = join(scratch, 'soft.nii');
    symlinkSync(input, soft);
    for (const output of [hard, soft, input]) expect(await refusal(output, [input])).toMatchObject({ code: 'OUTPUT_IS_INPUT' });
  });

  it('refuses a missing input named by a missing output through a symlinked folder (same real location)', async () => {
    expect(await refusal(join(scratch, 'linked', 'gone.nii'), [join(real, 'gone.nii')])).toMatchObject({ code: 'OUTPUT_IS_INPUT' });
  });

  it('allows a new output, another existing file, and a copy with the same bytes', async () => {
    const copy = join(scratch, 'copy.nii');
    writeFileSync(copy, 'voxels');
    expect(await refusal(join(scratch, 'linked', 'new.nii'), [input, other])).toBe('allowed');
    expect(await refusal(other, [input])).toBe('allowed');
    expect(await refusal(copy, [input])).toBe('allowed');
    expect(await refusal(input, [])).toBe('allowed');
  });

  it('checks every target it is given: a temporary file that is an input is refused too', async () => {
    const error = await assertNotInput(
      join(scratch, 'new.nii'),
      [other],
      [
        { path: join(scratch, 'new.nii'), role: 'the output' },
        { path: join(scratch, 'linked', 'other.nii'), role: 'its temporary file' },
      ],
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTPUT_IS_INPUT', message: expect.stringContaining('its temporary file is the input file') });
  });

  it('finds the one input among thousands', async () => {
    const many = Array.from({ length: 3000 }, (_, n) => join(real, `missing-${n}.dcm`));
    many.splice(2500, 0, input);
    expect(await refusal(join(scratch, 'linked', 'scan.nii'), many)).toMatchObject({ code: 'OUTPUT_IS_INPUT' });
  });
});

describe('assertNotInput with a NRRD header among the inputs', () => {
  it('refuses its detached data file though only the header was named, and ignores a header that names none', async () => {
    const header = join(real, 'vol.nhdr');
    writeFileSync(header, 'NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: raw\ndata file: vol.raw\n\n');
    writeFileSync(join(real, 'vol.raw'), 'abcd');
    const broken = join(real, 'broken.nrrd');
    writeFileSync(broken, 'not a header');
    expect(await refusal(join(scratch, 'linked', 'vol.raw'), [broken, header])).toMatchObject({
      code: 'OUTPUT_IS_INPUT',
      message: expect.stringContaining(`is the input file ${join(real, 'vol.raw')}`),
    });
    expect(await refusal(join(scratch, 'linked', 'other.raw'), [broken, header])).toBe('allowed');
  });
});
