import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAxialError } from '../../../main/errors/AxialError.js';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
import { writeNrrd } from '../../../main/nrrd/writeNrrd.js';
import { createVolume, type Volume, type VoxelArray } from '../../../main/volume/Volume.js';
import { type Mat3 } from '../../../core/geometry/types.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-writeNrrd-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A rotation by 20° about z then 35° about x: oblique, orthonormal, no shear. */
const oblique: Mat3 = (() => {
  const [a, b] = [(20 * Math.PI) / 180, (35 * Math.PI) / 180];
  const column = (x: number, y: number, z: number) =>
    [
      x * Math.cos(a) - y * Math.sin(a),
      (x * Math.sin(a) + y * Math.cos(a)) * Math.cos(b) - z * Math.sin(b),
      (x * Math.sin(a) + y * Math.cos(a)) * Math.sin(b) + z * Math.cos(b),
    ] as const;
  return [column(1, 0, 0), column(0, 1, 0), column(0, 0, 1)];
})();

function obliqueVolume(voxels: VoxelArray): Volume {
  return createVolume({
    dimensions: [5, 7, 3],
    spacing: [0.7, 1.3, 2.5],
    origin: [-12.5, 30.25, 7.125],
    direction: oblique,
    voxels,
    metadata: { format: 'nrrd', windowPresets: [], fileCount: 1 },
  });
}

const int16Ramp = new Int16Array(105).map((_, n) => n * 311 - 16000);

function expectSameVolume(actual: Volume, expected: Volume): void {
  expect(actual.dimensions).toEqual(expected.dimensions);
  expect(actual.dataType).toBe(expected.dataType);
  // Byte comparison: Vitest's deep equality takes seconds on millions of elements.
  const bytes = (v: VoxelArray) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  expect(bytes(actual.voxels).equals(bytes(expected.voxels))).toBe(true);
  for (let a = 0; a < 3; a++) {
    expect(actual.spacing[a]).toBeCloseTo(expected.spacing[a]!, 12);
    expect(actual.origin[a]).toBe(expected.origin[a]);
    for (let c = 0; c < 3; c++) expect(actual.direction[a]![c]).toBeCloseTo(expected.direction[a]![c]!, 12);
  }
}

/** Parses the file with Python's standard library alone: an independent NRRD reader for this one layout. */
const independentReader = `
import gzip, json, struct, sys
raw = open(sys.argv[1], 'rb').read()
head, _, body = raw.partition(b'\\n\\n')
fields = dict(line.split(': ', 1) for line in head.decode('latin1').split('\\n')[1:] if ': ' in line)
assert fields['type'] == 'short' and fields['endian'] == 'little' and fields['encoding'] == 'gzip'
sizes = [int(s) for s in fields['sizes'].split()]
values = struct.unpack('<%dh' % (sizes[0] * sizes[1] * sizes[2]), gzip.decompress(body))
vec = lambda t: [float(x) for x in t.strip('()').split(',')]
print(json.dumps({'space': fields['space'], 'sizes': sizes, 'values': values,
  'directions': [vec(t) for t in fields['space directions'].split()], 'origin': vec(fields['space origin'])}))
`;
const hasPython = spawnSync('python3', ['-c', 'import gzip, struct, json']).status === 0;

describe('writeNrrd', () => {
  it('round-trips an oblique anisotropic int16 volume through readNrrd exactly', async () => {
    const volume = obliqueVolume(int16Ramp);
    const path = join(folder, 'oblique.nrrd');
    await writeNrrd(volume, path);
    const text = readFileSync(path).toString('latin1').split('\n\n')[0]! + '\n';
    expect(text).toMatch(/^NRRD0004\n/);
    expect(text).toContain('\nspace: left-posterior-superior\n');
    expect(text).toContain('\nencoding: gzip\n');
    const { volume: back, warnings } = await readNrrd(path);
    expect(warnings).toEqual([]);
    expectSameVolume(back, volume);
  });

  it.skipIf(!hasPython)('is read the same by an independent Python reader', async () => {
    const volume = obliqueVolume(int16Ramp);
    const path = join(folder, 'python.nrrd');
    await writeNrrd(volume, path);
    const seen = JSON.parse(execFileSync('python3', ['-c', independentReader, path], { encoding: 'utf8' })) as {
      space: string;
      sizes: number[];
      values: number[];
      directions: number[][];
      origin: number[];
    };
    expect(seen.space).toBe('left-posterior-superior');
    expect(seen.sizes).toEqual([5, 7, 3]);
    expect(seen.values).toEqual(Array.from(int16Ramp));
    expect(seen.origin).toEqual([-12.5, 30.25, 7.125]);
    seen.directions.forEach((d, a) => {
      for (let c = 0; c < 3; c++) expect(d[c]).toBeCloseTo(oblique[a]![c]! * volume.spacing[a]!, 14);
    });
  });

  it.each([
    ['int8', new Int8Array(105).map((_, n) => n - 60)],
    ['uint8', new Uint8Array(105).map((_, n) => n * 2)],
    ['uint16', new Uint16Array(105).map((_, n) => n * 600)],
    ['int32', new Int32Array(105).map((_, n) => n * 100000 - 5e6)],
    ['uint32', new Uint32Array(105).map((_, n) => n * 4e7)],
    ['float32', new Float32Array(105).map((_, n) => n / 7 - 3)],
    ['float64', new Float64Array(105).map((_, n) => Math.sqrt(n) * 1e-3)],
  ] as const)('round-trips %s voxels', async (_, voxels) => {
    const volume = obliqueVolume(voxels);
    const path = join(folder, `${volume.dataType}.nrrd`);
    await writeNrrd(volume, path);
    expectSameVolume((await readNrrd(path)).volume, volume);
  });

  it('refuses to overwrite an input', async () => {
    const path = join(folder, 'input.nrrd');
    const error: unknown = await writeNrrd(obliqueVolume(int16Ramp), path, { inputs: [path] }).catch((e: unknown) => e);
    expect(isAxialError(error) && error.code).toBe('OUTPUT_IS_INPUT');
  });

  it('reports an unwritable folder', async () => {
    const path = join(folder, 'no-such-folder', 'x.nrrd');
    const error: unknown = await writeNrrd(obliqueVolume(int16Ramp), path).catch((e: unknown) => e);
    expect(isAxialError(error) && error.code).toBe('OUTPUT_WRITE_FAILED');
    expect((error as Error).message).toContain(path);
  });
});

describe.skipIf(!hasSharedData)(`writeNrrd on FLAIR.nrrd (${noSharedDataReason})`, () => {
  it('writes back what it read', async () => {
    const { volume } = await readNrrd(sharedData('nifti/niivue/FLAIR.nrrd'));
    const path = join(folder, 'FLAIR.nrrd');
    await writeNrrd(volume, path);
    expectSameVolume((await readNrrd(path)).volume, volume);
  });
});
