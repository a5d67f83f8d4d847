import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isAxialError, type AxialErrorCode } from '../../../main/errors/AxialError.js';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { volumeToRasAffine } from '../../../main/volume/volumeTransforms.js';
import { worldToIndex } from '../../../core/geometry/indexToWorld.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-readNrrd-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Writes a NRRD built from header lines (magic first), the blank line, then `data`. */
function nrrdFile(name: string, header: string[], data: Uint8Array = new Uint8Array(0)): string {
  const path = join(folder, name);
  writeFileSync(path, Buffer.concat([Buffer.from(header.join('\n') + '\n\n', 'latin1'), data]));
  return path;
}

function at(volume: Volume, i: number, j: number, k: number): number {
  const [ni, nj] = volume.dimensions;
  return volume.voxels[i + ni * (j + nj * k)]!;
}

async function expectCode(path: string, code: AxialErrorCode, message?: RegExp, maxBytes?: number): Promise<void> {
  const error: unknown = await readNrrd(path, { maxBytes }).catch((e: unknown) => e);
  expect(isAxialError(error) && error.code).toBe(code);
  expect((error as Error).message).toContain(path);
  if (message) expect((error as Error).message).toMatch(message);
}

/** 2×3×4 little-endian int16 voxels, n·10 − 50 at flat index n. */
const ramp = Buffer.from(new Int16Array(Array.from({ length: 24 }, (_, n) => n * 10 - 50)).buffer);
const base = ['NRRD0004', '# hand-built', 'type: short', 'dimension: 3', 'sizes: 2 3 4', 'endian: little'];

// Reference numbers from nibabel 5.0 on FLAIR.nii.gz, the same MR as FLAIR.nrrd, in the same axis order:
// img.affine; d = np.asanyarray(img.dataobj); d.sum(); f = d.ravel(order='F');
// (f * (np.arange(f.size) % 251 + 1)).sum(); d[i, j, k]; and inv(img.affine) @ [x, y, z, 1] for a RAS point.
describe.skipIf(!hasSharedData)(`readNrrd on FLAIR.nrrd (${noSharedDataReason})`, () => {
  it('matches FLAIR.nii.gz in size, world geometry and voxels', async () => {
    const { volume, warnings } = await readNrrd(sharedData('nifti/niivue/FLAIR.nrrd'));
    expect(warnings).toEqual([]);
    expect(volume.dimensions).toEqual([124, 160, 140]);
    expect(volume.dataType).toBe('uint8');
    expect(volume.metadata).toMatchObject({ format: 'nrrd', fileCount: 1, windowPresets: [] });
    const nibabelAffine = [
      [0.9935920238494873, 0.01600503921508789, 0.11188727617263794, -64.89823913574219],
      [-0.049704909324645996, 0.9509366750717163, 0.3053668737411499, -110.43114471435547],
      [-0.10151028633117676, -0.3089714050292969, 0.9456385970115662, -27.925539016723633],
      [0, 0, 0, 1],
    ];
    const affine = volumeToRasAffine(volume);
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) expect(Math.abs(affine[r]![c]! - nibabelAffine[r]![c]!)).toBeLessThan(1e-3);
    }
    let total = 0;
    let weighted = 0;
    volume.voxels.forEach((v, n) => {
      total += v;
      weighted += v * ((n % 251) + 1);
    });
    expect(total).toBe(115231646);
    expect(weighted).toBe(14516124456);
    const samples = [
      [62, 80, 70],
      [100, 120, 90],
      [40, 100, 60],
      [80, 50, 100],
    ] as const;
    expect(samples.map(([i, j, k]) => at(volume, i, j, k))).toEqual([170, 93, 96, 112]);
    // RAS (10, -20, 15) is LPS (-10, 20, 15); nibabel puts it at index (65.566, 73.930, 76.587), value 137.
    const index = worldToIndex(volume, [-10, 20, 15]);
    [65.56603107, 73.93026869, 76.58687455].forEach((x, a) => expect(Math.abs(index[a]! - x)).toBeLessThan(1e-3));
    expect(at(volume, 66, 74, 77)).toBe(137);
  });
});

describe('readNrrd geometry and encodings', () => {
  it('reads raw LPS int16 exactly', async () => {
    const path = nrrdFile(
      'lps.nrrd',
      [...base, 'encoding: raw', 'space: left-posterior-superior', 'space directions: (0,2,0) (-1.5,0,0) (0,0,3)', 'space origin: (10,-20,30.5)', 'foo:=bar'],
      ramp,
    );
    const { volume, warnings } = await readNrrd(path);
    expect(warnings).toEqual([]);
    expect(volume.dimensions).toEqual([2, 3, 4]);
    expect(volume.dataType).toBe('int16');
    expect(Array.from(volume.voxels)).toEqual(Array.from(new Int16Array(ramp.buffer)));
    expect(volume.spacing).toEqual([2, 1.5, 3]);
    expect(volume.direction).toEqual([
      [0, 1, 0],
      [-1, 0, 0],
      [0, 0, 1],
    ]);
    expect(volume.origin).toEqual([10, -20, 30.5]);
  });

  it.each([
    ['right-anterior-superior', [-10, 20, 30.5], [-1, 0, 0], false],
    ['RAS', [-10, 20, 30.5], [-1, 0, 0], false],
    ['left-anterior-superior', [10, 20, 30.5], [1, 0, 0], false],
    // No patient orientation: taken as written, as ITK's NrrdImageIO takes it (see the spec against ITK below).
    ['scanner-xyz', [10, -20, 30.5], [1, 0, 0], true],
    ['3D-right-handed', [10, -20, 30.5], [1, 0, 0], true],
    ['3D-left-handed', [10, -20, 30.5], [1, 0, 0], true],
  ])('converts space %s to LPS', async (space, origin, axisI, warns) => {
    const path = nrrdFile(
      `space-${space}.nrrd`,
      [...base, 'encoding: raw', `space: ${space}`, 'space directions: (2,0,0) (0,1.5,0) (0,0,3)', 'space origin: (10,-20,30.5)'],
      ramp,
    );
    const { volume, warnings } = await readNrrd(path);
    expect(volume.origin).toEqual(origin);
    expect(volume.direction[0]).toEqual(axisI);
    expect(warnings.length > 0).toBe(warns);
  });

  it('reads big-endian data, gzip and ascii the same', async () => {
    const big = Buffer.from(ramp).swap16();
    const text = Buffer.from(Array.from(new Int16Array(ramp.buffer)).join(' ') + '\n');
    const space = ['space: LPS', 'space directions: (1,0,0) (0,1,0) (0,0,1)', 'space origin: (0,0,0)'];
    for (const [name, encoding, data] of [
      ['big.nrrd', 'raw', big],
      ['gz.nrrd', 'gzip', gzipSync(ramp)],
      ['bigz.nrrd', 'gz', gzipSync(big)],
      ['text.nrrd', 'ascii', text],
    ] as const) {
      const endian = name.startsWith('big') ? 'endian: big' : 'endian: little';
      const path = nrrdFile(name, [...base.slice(0, 5), endian, `encoding: ${encoding}`, ...space], data);
      const { volume } = await readNrrd(path);
      expect(Array.from(volume.voxels), name).toEqual(Array.from(new Int16Array(ramp.buffer)));
    }
  });

  it('reads a detached header with line skip and byte skip, and byte skip -1', async () => {
    writeFileSync(join(folder, 'data.raw'), Buffer.concat([Buffer.from('junk line\nsecond\nXYZ'), ramp]));
    const skips = ['data file: data.raw', 'line skip: 2', 'byte skip: 3'];
    const path = nrrdFile('detached.nhdr', [...base, 'encoding: raw', ...skips]);
    const { volume } = await readNrrd(path);
    expect(volume.metadata.fileCount).toBe(2);
    expect(at(volume, 1, 2, 3)).toBe(180);
    // Teem ends a detached header with its last field, not a blank line.
    const tail = join(folder, 'tail.nhdr');
    writeFileSync(tail, [...base, 'encoding: raw', 'datafile: ./data.raw', 'byte skip: -1'].join('\n') + '\n');
    expect(at((await readNrrd(tail)).volume, 1, 2, 3)).toBe(180);
    // For gzip, byte skip counts decompressed bytes (Teem, pynrrd).
    const skipped = gzipSync(Buffer.concat([Buffer.from('HEAD'), ramp]));
    const gz = nrrdFile('skipz.nrrd', [...base, 'encoding: gzip', 'byte skip: 4'], skipped);
    expect(at((await readNrrd(gz)).volume, 1, 2, 3)).toBe(180);
  });

  it.each([
    ['signed char', 'int8', 1],
    ['int8', 'int8', 1],
    ['uchar', 'uint8', 1],
    ['unsigned char', 'uint8', 1],
    ['uint8', 'uint8', 1],
    ['short', 'int16', 2],
    ['int16', 'int16', 2],
    ['ushort', 'uint16', 2],
    ['uint16', 'uint16', 2],
    ['int', 'int32', 4],
    ['int32', 'int32', 4],
    ['uint', 'uint32', 4],
    ['uint32', 'uint32', 4],
    ['float', 'float32', 4],
    ['double', 'float64', 8],
  ])('maps type %s to %s', async (type, dataType, bytes) => {
    const path = nrrdFile(
      `type-${type}.nrrd`,
      ['NRRD0005', `type: ${type}`, 'dimension: 3', 'sizes: 2 3 4', 'endian: little', 'encoding: raw'],
      new Uint8Array(24 * bytes),
    );
    expect((await readNrrd(path)).volume.dataType).toBe(dataType);
  });

  it('reads 64-bit integers, either endian, into float64 with a warning', async () => {
    const values = new BigInt64Array(Array.from({ length: 24 }, (_, n) => BigInt(n * 1000 - 7)));
    const little = Buffer.from(values.buffer);
    for (const [endian, data] of [
      ['little', little],
      ['big', Buffer.from(little).swap64()],
    ] as const) {
      const path = nrrdFile(
        `int64-${endian}.nrrd`,
        ['NRRD0004', 'type: long long int', 'dimension: 3', 'sizes: 2 3 4', `endian: ${endian}`, 'encoding: raw'],
        data,
      );
      const { volume, warnings } = await readNrrd(path);
      expect(volume.dataType).toBe('float64');
      expect([at(volume, 0, 0, 0), at(volume, 1, 2, 3)]).toEqual([-7, 22993]);
      expect(warnings).toContain('64-bit signed integers are read as float64');
    }
  });

  it('takes the first volume of a 4-D file whose extra axis is first or last', async () => {
    const interleaved = new Int16Array(72).map((_, n) => (n % 3 === 0 ? n / 3 : -1));
    const first = nrrdFile(
      'vector.nrrd',
      [
        'NRRD0004',
        'type: int16',
        'dimension: 4',
        'sizes: 3 2 3 4',
        'endian: little',
        'encoding: gzip',
        'kinds: vector domain domain domain',
        'space: LPS',
        'space directions: none (1,0,0) (0,1,0) (0,0,1)',
      ],
      gzipSync(new Uint8Array(interleaved.buffer)),
    );
    const a = await readNrrd(first);
    expect(a.volume.dimensions).toEqual([2, 3, 4]);
    expect(Array.from(a.volume.voxels)).toEqual(Array.from({ length: 24 }, (_, n) => n));
    expect(a.warnings.join()).toMatch(/first of 3 samples along axis 0 \(kind vector\)/);
    const series = new Int16Array(48).map((_, n) => n);
    // gzip, so that reading stops once the first volume is inflated.
    const last = nrrdFile(
      'time.nrrd',
      [
        'NRRD0004',
        'type: int16',
        'dimension: 4',
        'sizes: 2 3 4 2',
        'endian: little',
        'encoding: gzip',
        'kinds: domain domain domain time',
        'spacings: 1 1 1 NaN',
      ],
      gzipSync(new Uint8Array(series.buffer)),
    );
    const b = await readNrrd(last);
    expect(Array.from(b.volume.voxels)).toEqual(Array.from({ length: 24 }, (_, n) => n));
    expect(b.warnings.join()).toMatch(/kind time/);
  });
});

describe('readNrrd on malformed files', () => {
  const spatial = ['space: LPS', 'space directions: (1,0,0) (0,1,0) (0,0,1)'];

  it('rejects a bad magic', async () => {
    await expectCode(nrrdFile('magic.nrrd', ['NRRD0009', ...base.slice(1), 'encoding: raw'], ramp), 'NRRD_BAD_MAGIC');
    await expectCode(nrrdFile('nifti.nrrd', ['\x5c\x01\x00\x00'], ramp), 'NRRD_BAD_MAGIC');
  });

  it('rejects a header without sizes', async () => {
    const header = ['NRRD0004', 'type: short', 'dimension: 3', 'endian: little', 'encoding: raw'];
    await expectCode(nrrdFile('nosizes.nrrd', header, ramp), 'NRRD_BAD_HEADER', /sizes/);
  });

  it('reports raw and gzip data shorter than the sizes as truncated', async () => {
    const header = ['NRRD0004', 'type: short', 'dimension: 3', 'sizes: 2 3 5', 'endian: little'];
    const raw = nrrdFile('short.nrrd', [...header, 'encoding: raw', ...spatial], ramp);
    await expectCode(raw, 'NRRD_TRUNCATED', /60 bytes declared, 48 present/);
    await expectCode(nrrdFile('shortz.nrrd', [...header, 'encoding: gzip'], gzipSync(ramp)), 'NRRD_TRUNCATED');
    // Cut inside the deflate data, before the 60 bytes the header needs (a stream cut only in its trailer, after
    // them, is read, as Teem reads it).
    const cut = gzipSync(Buffer.from(Array.from({ length: 60 }, (_, n) => (n * 37) % 251))).subarray(0, 20);
    await expectCode(nrrdFile('cutz.nrrd', [...header, 'encoding: gzip'], cut), 'NRRD_TRUNCATED');
  });

  it('refuses huge sizes before allocating', async () => {
    const header = ['NRRD0004', 'type: float', 'dimension: 3', 'sizes: 100000 100000 100000', 'endian: little'];
    await expectCode(nrrdFile('huge.nrrd', [...header, 'encoding: raw'], ramp), 'VOLUME_TOO_LARGE');
    await expectCode(nrrdFile('limit.nrrd', [...base, 'encoding: raw'], ramp), 'VOLUME_TOO_LARGE', /48 bytes/, 47);
  });

  it('reports corrupt gzip', async () => {
    const badCrc = gzipSync(ramp);
    badCrc[badCrc.length - 6]! ^= 0xff; // inside the CRC-32 of the gzip trailer
    const crc = nrrdFile('crc.nrrd', [...base, 'encoding: gzip'], badCrc);
    await expectCode(crc, 'NRRD_CORRUPT_COMPRESSION', /data check/);
    const notGzip = nrrdFile('notgz.nrrd', [...base, 'encoding: gzip'], Buffer.from('plain text, not gzip'));
    await expectCode(notGzip, 'NRRD_CORRUPT_COMPRESSION', /header check/);
  });

  it('names an unsupported encoding, dimension, space or data file list', async () => {
    await expectCode(nrrdFile('bz.nrrd', [...base, 'encoding: bzip2'], ramp), 'NRRD_UNSUPPORTED', /bzip2/);
    await expectCode(nrrdFile('hex.nrrd', [...base, 'encoding: hex'], ramp), 'NRRD_UNSUPPORTED', /hex/);
    const flat = ['NRRD0004', 'type: short', 'dimension: 2', 'sizes: 6 4', 'endian: little', 'encoding: raw'];
    await expectCode(nrrdFile('2d.nrrd', flat, ramp), 'NRRD_UNSUPPORTED', /dimension 2/);
    const timeSpace = nrrdFile('rast.nrrd', [...base, 'encoding: raw', 'space: RAST'], ramp);
    await expectCode(timeSpace, 'NRRD_UNSUPPORTED', /RAST/);
    const list = nrrdFile('list.nhdr', [...base, 'encoding: raw', 'data file: LIST', 'a.raw']);
    await expectCode(list, 'NRRD_UNSUPPORTED', /LIST/);
    await expectCode(nrrdFile('missing.nhdr', [...base, 'encoding: raw', 'data file: nowhere.raw']), 'INPUT_NOT_FOUND');
  });
});

describe('readNrrd on hostile files', () => {
  it('refuses detached data outside the header folder before anything else, LIST included', async () => {
    const outside = join(folder, '..', `${folder.split(/[\\/]/).pop()}-outside.raw`);
    writeFileSync(outside, ramp);
    try {
      const name = `../${outside.split(/[\\/]/).pop()}`;
      await expectCode(nrrdFile('out.nhdr', [...base, 'encoding: raw', `data file: ${name}`]), 'INPUT_PATH_OUTSIDE_FOLDER', /outside the folder/);
      await expectCode(nrrdFile('outlist.nhdr', [...base, 'encoding: raw', 'data file: LIST', 'a.raw', name]), 'INPUT_PATH_OUTSIDE_FOLDER');
    } finally {
      rmSync(outside);
    }
  });

  it.skipIf(process.platform === 'win32')('refuses a data file that is a FIFO or a folder', async () => {
    execFileSync('mkfifo', [join(folder, 'pipe.raw')]);
    await expectCode(nrrdFile('pipe.nhdr', [...base, 'encoding: raw', 'data file: pipe.raw']), 'INPUT_NOT_A_FILE', /data file .*pipe\.raw is a FIFO/);
    mkdirSync(join(folder, 'sub'));
    await expectCode(nrrdFile('dir.nhdr', [...base, 'encoding: raw', 'data file: sub']), 'INPUT_NOT_A_FILE', /is a folder/);
  });

  it('reads what the header needs from a gzip stream that goes on, and refuses a claim the stream cannot hold', async () => {
    const longer = Buffer.concat([ramp, Buffer.alloc(3 << 20, 1)]);
    const { volume } = await readNrrd(nrrdFile('longer.nrrd', [...base, 'encoding: gzip'], gzipSync(longer)));
    expect(Array.from(volume.voxels)).toEqual(Array.from(new Int16Array(ramp.buffer, ramp.byteOffset, 24)));
    const skip = nrrdFile('skip.nrrd', [...base, 'encoding: gzip', 'byte skip: 1000000000'], gzipSync(ramp));
    await expectCode(skip, 'NRRD_TRUNCATED', /needs 1000000048 decompressed bytes; a gzip stream of \d+ bytes holds at most/);
  });
});
