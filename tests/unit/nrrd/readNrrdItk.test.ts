import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
import { indexToWorld } from '../../../core/geometry/indexToWorld.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-readNrrdItk-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Writes a NRRD built from header lines (magic first), the blank line, then `data`. */
function nrrdFile(name: string, header: string[], data: Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, Buffer.concat([Buffer.from(header.join('\n') + '\n\n', 'latin1'), data]));
  return path;
}

/** 2×3×4 little-endian int16 voxels 0…23, as the audit's files hold. */
const ramp = Buffer.from(new Int16Array(Array.from({ length: 24 }, (_, n) => n)).buffer);
const base = ['NRRD0004', 'type: short', 'dimension: 3', 'sizes: 2 3 4', 'endian: little', 'encoding: raw'];
const oblique = ['space directions: (0.5,0.1,0) (0,1,0) (0,0.2,2)', 'space origin: (10,-20,30)'];

function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((x, n) => expect(Math.abs(x - expected[n]!), `[${n}] ${x} vs ${expected[n]}`).toBeLessThan(1e-12));
}

describe('readNrrd geometry against ITK 5.2 NrrdImageIO (what 3D Slicer reads NRRD volumes with)', () => {
  // ITK 5.2 itk::NrrdImageIO::ReadImageInformation on these four files (directions (0.5,0.1,0) (0,1,0) (0,0.2,2),
  // origin (10,-20,30)): spacing [0.50990195135927852, 1, 2.0099751242241779], origin [10, -20, 30], direction rows
  // [0.98058067569092011, 0.19611613513818404, 0], [0, 1, 0], [0, 0.099503719020998929, 0.99503719020998926]: the
  // coordinates as written, no axis flipped (only RAS and LAS are converted).
  it.each(['space: scanner-xyz', 'space: 3D-right-handed', 'space: 3D-left-handed', 'space dimension: 3'])(
    'takes %s as written, as ITK does, and says so in plain words',
    async (space) => {
      const path = nrrdFile(`unoriented-${space.replace(/\W+/g, '-')}.nrrd`, [...base, space, ...oblique], ramp);
      const { volume, warnings } = await readNrrd(path);
      expectClose(volume.spacing, [0.50990195135927852, 1, 2.0099751242241779]);
      expect(volume.origin).toEqual([10, -20, 30]);
      expectClose(volume.direction.flat(), [0.98058067569092011, 0.19611613513818404, 0, 0, 1, 0, 0, 0.099503719020998929, 0.99503719020998926]);
      // Voxel (1, 2, 3) lies at origin + 1·(0.5,0.1,0) + 2·(0,1,0) + 3·(0,0.2,2).
      expectClose(indexToWorld(volume, [1, 2, 3]), [10.5, -17.3, 36]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/does not say which way the patient lies .* used unchanged as left-posterior-superior, as ITK reads them/);
      expect(warnings[0]).toMatch(/so left–right and front–back may be reversed$/);
      expect(warnings[0]).not.toMatch(/Slicer/);
    },
  );

  it('takes a file without space or spacings as identity at the origin, as ITK does', async () => {
    // ITK: spacing [1, 1, 1], origin [0, 0, 0], direction identity.
    const { volume, warnings } = await readNrrd(nrrdFile('nospace.nrrd', base, ramp));
    expect(volume.spacing).toEqual([1, 1, 1]);
    expect(volume.origin).toEqual([0, 0, 0]);
    expect(volume.direction).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(warnings.join('\n')).toMatch(/names no space/);
  });

  it.each([
    // ITK: spacing [0.5, 1, 2], origin [5.25, 6.5, 8] (nrrdOriginCalculate, cell-centred by default: min + spacing / 2).
    ['cell', ['spacings: 0.5 1 2', 'axis mins: 5 6 7'], [0.5, 1, 2], [5.25, 6.5, 8]],
    ['explicit cell', ['spacings: 0.5 1 2', 'centers: cell cell cell', 'axis mins: 5 6 7'], [0.5, 1, 2], [5.25, 6.5, 8]],
    // ITK: origin [5, 6, 7]: node-centred, the minimum is the first voxel's centre.
    ['node', ['spacings: 0.5 1 2', 'axis mins: 5 6 7', 'centers: node node node'], [0.5, 1, 2], [5, 6, 7]],
    // ITK: origin [5.25, 6, 8]: an unknown centring is cell.
    ['mixed', ['spacings: 0.5 1 2', 'axis mins: 5 6 7', 'centers: cell node ???'], [0.5, 1, 2], [5.25, 6, 8]],
    // ITK: spacing [1, 1, 1] (no spacings), origin [5.25, 6.5, 8]: the voxel size for the origin is (max − min) / size.
    ['axis maxs', ['axis mins: 5 6 7', 'axis maxs: 6 9 15'], [1, 1, 1], [5.25, 6.5, 8]],
    // ITK: origin [0, 0, 0]: neither spacings nor maxs.
    ['mins alone', ['axis mins: 5 6 7'], [1, 1, 1], [0, 0, 0]],
  ])('places a file without space from its axis mins as ITK does (%s)', async (name, fields, spacing, origin) => {
    const { volume } = await readNrrd(nrrdFile(`mins-${name.replace(/\W+/g, '-')}.nrrd`, [...base, ...fields], ramp));
    expect(volume.spacing).toEqual(spacing);
    expect(volume.origin).toEqual(origin);
    expect(volume.direction[0]).toEqual([1, 0, 0]);
    expect(indexToWorld(volume, [1, 2, 3])).toEqual([origin[0]! + spacing[0]!, origin[1]! + 2 * spacing[1]!, origin[2]! + 3 * spacing[2]!]);
  });

  it('still converts RAS, the one space ITK and Axial both flip', async () => {
    // ITK on the same file with `space: RAS`: origin [-10, 20, 30], direction row 0 [-0.98058067569092011, -0.19611613513818404, 0].
    const { volume, warnings } = await readNrrd(nrrdFile('ras.nrrd', [...base, 'space: RAS', ...oblique], ramp));
    expect(volume.origin).toEqual([-10, 20, 30]);
    expectClose(volume.direction[0], [-0.98058067569092011, -0.19611613513818404, 0]);
    expect(warnings).toEqual([]);
  });
});

describe('readNrrd on a 3-D file that is a 2-D colour image', () => {
  const rgb = ['NRRD0004', 'type: uchar', 'dimension: 3', 'sizes: 3 4 5', 'kinds: RGB-color domain domain', 'encoding: raw'];

  // ITK reads the first as a 2-D image of 3 components (dims [4, 5]); Axial reads volumes only.
  it.each([
    ['rgb-spacings.nrrd', [...rgb, 'spacings: nan 1 1']],
    ['rgb-none.nrrd', [...rgb, 'space: LPS', 'space directions: none (1,0,0) (0,1,0)']],
    ['rgb-bare.nrrd', rgb],
  ])('refuses %s as a 2-D colour image, naming the file', async (name, header) => {
    const path = nrrdFile(name, header, new Uint8Array(60));
    await expect(readNrrd(path)).rejects.toMatchObject({
      code: 'NRRD_UNSUPPORTED',
      message: expect.stringMatching(
        new RegExp(`^${path.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: a 2-D colour image, not a volume \\(its axis 0 is RGB-color\\)`),
      ),
    });
  });

  it('gives a none direction without kinds the same refusal, as a 2-D image of several values', async () => {
    const header = ['NRRD0004', 'type: uchar', 'dimension: 3', 'sizes: 3 4 5', 'space: LPS', 'space directions: none (1,0,0) (0,1,0)', 'encoding: raw'];
    await expect(readNrrd(nrrdFile('none.nrrd', header, new Uint8Array(60)))).rejects.toMatchObject({
      code: 'NRRD_UNSUPPORTED',
      message: expect.stringMatching(/none\.nrrd: a 2-D image with 3 values per pixel, not a volume \(its axis 0 has no space direction\)/),
    });
  });
});

describe('readNrrd on a 3-D file whose non-spatial axis holds one sample', () => {
  /** n % 251 for the 8×9 pixels, as the review's files hold. */
  const pixels = Uint8Array.from({ length: 72 }, (_, n) => n % 251);

  // ITK reads all three as 2-D scalar images of 8×9; the first is what `teem-unu axinsert -a 2` writes.
  it.each([
    [
      'axinsert.nrrd',
      [
        'NRRD0003',
        'content: axinsert(???,2)',
        'type: unsigned char',
        'dimension: 3',
        'sizes: 8 9 1',
        'spacings: 0.5 0.5 nan',
        'kinds: ??? ??? stub',
        'encoding: raw',
      ],
      [0.5, 0.5, 1],
    ],
    ['stub-kind.nrrd', ['NRRD0004', 'type: uint8', 'dimension: 3', 'sizes: 8 9 1', 'encoding: raw', 'kinds: domain domain stub', 'spacings: 1 1 1'], [1, 1, 1]],
    [
      'scalar-kind.nrrd',
      ['NRRD0004', 'type: uint8', 'dimension: 3', 'sizes: 8 9 1', 'encoding: raw', 'kinds: domain domain scalar', 'spacings: 1 1 1'],
      [1, 1, 1],
    ],
  ])('reads %s as a one-slice volume', async (name, header, spacing) => {
    const { volume } = await readNrrd(nrrdFile(name, header, pixels));
    expect(volume.dimensions).toEqual([8, 9, 1]);
    expect(volume.spacing).toEqual(spacing);
    expect(Array.from(volume.voxels)).toEqual(Array.from(pixels));
  });

  it('still refuses a colour kind of size 1, and a stub axis of several samples', async () => {
    const base1 = ['NRRD0004', 'type: uint8', 'dimension: 3', 'encoding: raw'];
    await expect(readNrrd(nrrdFile('rgb1.nrrd', [...base1, 'sizes: 8 9 1', 'kinds: domain domain RGB-color'], pixels))).rejects.toMatchObject({
      code: 'NRRD_UNSUPPORTED',
      message: expect.stringMatching(/a 2-D colour image, not a volume \(its axis 2 is RGB-color\)/),
    });
    const stub = nrrdFile('stub3.nrrd', [...base1, 'sizes: 8 3 3', 'kinds: domain domain stub'], pixels);
    await expect(readNrrd(stub)).rejects.toMatchObject({ code: 'NRRD_UNSUPPORTED', message: expect.stringMatching(/3 values per pixel/) });
  });
});
