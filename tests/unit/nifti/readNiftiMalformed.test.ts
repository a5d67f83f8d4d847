import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';
import { readNifti } from '../../../main/nifti/readNifti.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-nifti-bad-'));

/** A valid 4×3×2 int16 NIfTI-1 file, built field by field (offsets from nifti1.h). */
function smallNifti(edit: (view: DataView) => void = () => {}): Uint8Array {
  const bytes = new Uint8Array(352 + 4 * 3 * 2 * 2);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, 348, true); // sizeof_hdr
  [3, 4, 3, 2, 1, 1, 1, 1].forEach((d, i) => view.setInt16(40 + 2 * i, d, true)); // dim[0..7]
  view.setInt16(70, 4, true); // datatype: DT_INT16
  view.setInt16(72, 16, true); // bitpix
  [1, 1, 1, 1].forEach((p, i) => view.setFloat32(76 + 4 * i, p, true)); // pixdim[0..3]
  view.setFloat32(108, 352, true); // vox_offset
  view.setInt16(254, 1, true); // sform_code
  [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
  ].forEach((row, r) => row.forEach((v, c) => view.setFloat32(280 + 16 * r + 4 * c, v, true))); // srow_x/y/z
  bytes.set([0x6e, 0x2b, 0x31, 0x00], 344); // magic "n+1\0"
  for (let i = 0; i < 24; i++) view.setInt16(352 + 2 * i, i * 10 - 50, true);
  edit(view);
  return bytes;
}

async function failure(name: string, bytes: Uint8Array): Promise<AxialError> {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  const error = await readNifti(path, { maxBytes: 1 << 30 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AxialError);
  expect((error as AxialError).message).toContain(path);
  return error as AxialError;
}

describe('readNifti on malformed input', () => {
  it('reads the well-formed file it is built from', async () => {
    const path = join(folder, 'good.nii');
    writeFileSync(path, smallNifti());
    const { volume } = await readNifti(path);
    expect(volume.dimensions).toEqual([4, 3, 2]);
    expect(Array.from(volume.voxels.slice(0, 3))).toEqual([-50, -40, -30]);
    expect(volume.voxels[23]).toBe(180);
  });

  it('rejects the wrong magic', async () => {
    const bytes = smallNifti();
    bytes.set([0x78, 0x78, 0x78, 0x00], 344);
    expect((await failure('magic.nii', bytes)).code).toBe('NIFTI_BAD_MAGIC');
  });

  it('rejects a file cut inside the header, and one cut inside the voxels', async () => {
    expect((await failure('short-header.nii', smallNifti().subarray(0, 200))).code).toBe('NIFTI_TRUNCATED');
    expect((await failure('short-data.nii', smallNifti().subarray(0, 380))).code).toBe('NIFTI_TRUNCATED');
    expect((await failure('short-data.nii.gz', gzipSync(smallNifti().subarray(0, 380)))).code).toBe('NIFTI_TRUNCATED');
  });

  it('rejects dimensions beyond the file, and beyond memory, before allocating', async () => {
    const beyondFile = smallNifti((v) => v.setInt16(46, 50, true)); // dim[3] = 50
    expect((await failure('dims.nii', beyondFile)).code).toBe('NIFTI_TRUNCATED');
    const huge = smallNifti((v) => [30000, 30000, 30000].forEach((d, i) => v.setInt16(42 + 2 * i, d, true)));
    expect((await failure('huge.nii', huge)).code).toBe('VOLUME_TOO_LARGE');
    expect((await failure('huge.nii.gz', gzipSync(huge))).code).toBe('VOLUME_TOO_LARGE');
  });

  it('rejects nonsense dims, datatypes and offsets', async () => {
    expect(
      (
        await failure(
          'rank.nii',
          smallNifti((v) => v.setInt16(40, 9, true)),
        )
      ).code,
    ).toBe('NIFTI_BAD_HEADER');
    expect(
      (
        await failure(
          'zero.nii',
          smallNifti((v) => v.setInt16(44, 0, true)),
        )
      ).code,
    ).toBe('NIFTI_BAD_HEADER');
    const rgb = smallNifti((v) => {
      v.setInt16(70, 128, true); // DT_RGB24
      v.setInt16(72, 24, true);
    });
    expect((await failure('rgb.nii', rgb)).code).toBe('NIFTI_UNSUPPORTED_DATATYPE');
    expect(
      (
        await failure(
          'bitpix.nii',
          smallNifti((v) => v.setInt16(72, 8, true)),
        )
      ).code,
    ).toBe('NIFTI_BAD_HEADER');
    expect(
      (
        await failure(
          'offset.nii',
          smallNifti((v) => v.setFloat32(108, 10, true)),
        )
      ).code,
    ).toBe('NIFTI_BAD_HEADER');
  });

  it('rejects a corrupt gzip stream', async () => {
    const gz = gzipSync(smallNifti());
    for (let i = 20; i < gz.length - 8; i += 3) gz[i] = gz[i]! ^ 0x5a;
    expect(['NIFTI_CORRUPT_COMPRESSION', 'NIFTI_TRUNCATED', 'NIFTI_BAD_MAGIC']).toContain((await failure('corrupt.nii.gz', gz)).code);
  });

  it('rejects a volume index past the last volume', async () => {
    const path = join(folder, 'one.nii');
    writeFileSync(path, smallNifti());
    await expect(readNifti(path, { volumeIndex: 1 })).rejects.toMatchObject({ code: 'NIFTI_VOLUME_OUT_OF_RANGE' });
  });

  it('refuses a .nii.gz claim its stream cannot hold, and vox_offset far past the file, naming the claim', async () => {
    const large = smallNifti((v) => [1024, 1024, 256].forEach((d, i) => v.setInt16(42 + 2 * i, d, true)));
    const error = await failure('large.nii.gz', gzipSync(large));
    expect(error.code).toBe('NIFTI_TRUNCATED');
    expect(error.message).toMatch(/needs 536871264 decompressed bytes; a gzip stream of \d+ bytes holds at most \d+/);
    const far = smallNifti((v) => v.setFloat32(108, 2 ** 40, true));
    expect((await failure('far.nii', far)).message).toMatch(/48 bytes of voxels at byte 1099511627776; the file has 400 bytes/);
    expect((await failure('far.nii.gz', gzipSync(far))).code).toBe('NIFTI_TRUNCATED');
  });

  it('checks the CRC of a .nii.gz read to its end', async () => {
    const gz = gzipSync(smallNifti());
    gz[gz.length - 6]! ^= 0xff; // inside the trailer's CRC-32
    expect((await failure('crc.nii.gz', gz)).code).toBe('NIFTI_CORRUPT_COMPRESSION');
  });

  it('reads a later volume of a 4D .nii.gz from its offset', async () => {
    const bytes = new Uint8Array(352 + 4 * 3 * 2 * 2 * 3);
    bytes.set(smallNifti());
    const view = new DataView(bytes.buffer);
    view.setInt16(40, 4, true); // dim[0]
    view.setInt16(48, 3, true); // dim[4]: three volumes
    for (let i = 0; i < 72; i++) view.setInt16(352 + 2 * i, i, true);
    const path = join(folder, 'three.nii.gz');
    writeFileSync(path, gzipSync(bytes));
    const { volume } = await readNifti(path, { volumeIndex: 2 });
    expect(Array.from(volume.voxels)).toEqual(Array.from({ length: 24 }, (_, i) => 48 + i));
  });

  it('passes over a transform that cannot place the volume for the next set one, and refuses a file with none usable', async () => {
    // A qform: identity rotation, pixdim 2, 3, 4 and offsets 5, 6, 7 (RAS), so LPS origin (-5, -6, 7).
    const qform = (v: DataView): void => {
      v.setInt16(252, 1, true); // qform_code
      [1, 2, 3, 4].forEach((p, i) => v.setFloat32(76 + 4 * i, p, true)); // pixdim[0..3], qfac 1
      [5, 6, 7].forEach((o, i) => v.setFloat32(268 + 4 * i, o, true)); // qoffset_x/y/z
    };
    const zeroRow = smallNifti((v) => {
      qform(v);
      for (let c = 0; c < 4; c++) v.setFloat32(296 + 4 * c, 0, true); // srow_y: the j axis has no length
    });
    const path = join(folder, 'zero-row.nii');
    writeFileSync(path, zeroRow);
    const read = await readNifti(path);
    expect(read.affineSource).toBe('qform');
    expect(read.volume.spacing).toEqual([2, 3, 4]);
    expect(read.volume.origin).toEqual([-5, -6, 7]);
    expect(read.warnings).toEqual(['the sform cannot place the volume in space (spacing must be positive and finite, got 1, 0, 1); using the qform']);

    // The same with pixdim[3] = 0, as single-slice files have it: 1 mm along k, as niftilib takes it, said after.
    const flatPath = join(folder, 'zero-row-pixdim.nii');
    writeFileSync(
      flatPath,
      smallNifti((v) => (qform(v), v.setFloat32(296 + 4, 0, true), v.setFloat32(88, 0, true))),
    );
    const flat = await readNifti(flatPath);
    expect(flat.affineSource).toBe('qform');
    expect(flat.volume.spacing).toEqual([2, 3, 1]);
    expect(flat.warnings).toEqual([
      'the sform cannot place the volume in space (spacing must be positive and finite, got 1, 0, 1); using the qform',
      'pixdim[3] is 0: 1 mm assumed along that axis',
    ]);

    // The sform usable, the qform not (a NaN quaternion): the sform, and no word of the qform it would not have used anyway.
    const nanQuaternion = join(folder, 'nan-qform.nii');
    writeFileSync(
      nanQuaternion,
      smallNifti((v) => (qform(v), v.setFloat32(256, Number.NaN, true))),
    );
    const sform = await readNifti(nanQuaternion);
    expect(sform.affineSource).toBe('sform');
    expect(sform.volume.spacing).toEqual([1, 1, 1]);
    expect(sform.warnings).toEqual([]);

    // srow_x (1, 1, 0, 0) and srow_y (0, 0, 0, 0): the i and j axes are both (1, 0, 0).
    const collinear = smallNifti((v) => (v.setFloat32(284, 1, true), v.setFloat32(300, 0, true)));
    const none = await failure('collinear.nii', collinear);
    expect(none.code).toBe('NIFTI_BAD_HEADER');
    expect(none.message).toMatch(/its sform cannot place the volume in space \(direction axes are degenerate/);
    expect((await failure('collinear.nii.gz', gzipSync(collinear))).code).toBe('NIFTI_BAD_HEADER');
  });

  it('converts a file in micrometres or in metres to mm, transform and all, saying so', async () => {
    // sform diag(500, 500, 1000) µm with its origin at (1000, 2000, 3000) µm (RAS): 0.5 × 0.5 × 1 mm, LPS origin (-1, -2, 3) mm.
    const inUnits = (code: number, scale: number): Uint8Array =>
      smallNifti((v) => {
        v.setUint8(123, code); // xyzt_units: the space code in bits 0–2
        [
          [500, 0, 0, 1000],
          [0, 500, 0, 2000],
          [0, 0, 1000, 3000],
        ].forEach((row, r) => row.forEach((x, c) => v.setFloat32(280 + 16 * r + 4 * c, x * scale, true)));
      });
    for (const [name, code, scale, unit] of [
      ['microns.nii', 3, 1, 'micrometre'],
      ['metres.nii', 1, 1e-6, 'metre'],
    ] as const) {
      const path = join(folder, name);
      writeFileSync(path, inUnits(code, scale));
      const { volume, warnings } = await readNifti(path);
      // Metres are stored as float32: 5e-4 m is 0.5000000237 mm.
      volume.spacing.forEach((s, a) => expect(s).toBeCloseTo([0.5, 0.5, 1][a]!, 6));
      volume.origin.forEach((o, a) => expect(o).toBeCloseTo([-1, -2, 3][a]!, 6));
      expect(warnings).toEqual([`its spatial unit is the ${unit}: converted to mm`]);
    }
    // mm (2) and unknown (0) are read as they are.
    const mm = join(folder, 'mm.nii');
    writeFileSync(mm, inUnits(2 | 8, 0.001));
    expect((await readNifti(mm)).volume.spacing).toEqual([0.5, 0.5, 1]);
    // A missing voxel size is 1 in the file's unit, and the warning says which.
    const unsized = join(folder, 'microns-no-pixdim.nii');
    writeFileSync(
      unsized,
      smallNifti((v) => (v.setUint8(123, 3), v.setInt16(254, 0, true), v.setFloat32(80, 0, true))),
    );
    const read = await readNifti(unsized);
    expect(read.volume.spacing[0]).toBeCloseTo(0.001, 9);
    expect(read.warnings).toContain('pixdim[1] is 0: 1 µm assumed along that axis');
  });

  it('takes a zero or infinite pixdim as 1 mm when neither transform is set, and names the file when a voxel size is past 1 km', async () => {
    const noTransform = (v: DataView): void => v.setInt16(254, 0, true);
    const path = join(folder, 'infinite-pixdim.nii');
    writeFileSync(
      path,
      smallNifti((v) => (noTransform(v), v.setFloat32(80, Number.POSITIVE_INFINITY, true), v.setFloat32(84, 0, true))),
    );
    const read = await readNifti(path);
    expect(read.affineSource).toBe('pixdim');
    expect(read.volume.spacing).toEqual([1, 1, 1]);
    expect(read.warnings.slice(1)).toEqual(['pixdim[1] is Infinity: 1 mm assumed along that axis', 'pixdim[2] is 0: 1 mm assumed along that axis']);

    const error = await failure(
      'huge-pixdim.nii',
      smallNifti((v) => (noTransform(v), v.setFloat32(80, 1e7, true))),
    );
    expect(error.code).toBe('VOLUME_INVALID');
    expect(error.message).toMatch(/spacing 10000000, 1, 1 is outside 0\.000001 to 1000000 mm$/);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without waiting for a writer', async () => {
    const path = join(folder, 'pipe.nii');
    execFileSync('mkfifo', [path]);
    await expect(readNifti(path)).rejects.toMatchObject({ code: 'INPUT_NOT_A_FILE', message: expect.stringMatching(/FIFO/) });
  });
});
