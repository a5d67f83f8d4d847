import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLabelMap } from '../../../main/labels/openLabelMap.js';
import { openMaskFile } from '../../../main/loader/openMaskFile.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume, type VolumeGrid } from '../../../main/volume/Volume.js';
import { expectAxialError } from '../../expectAxialError.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-openLabelMap-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A 4×3×2 grid, 1 mm, axis-aligned in LPS: 24 voxels. */
const grid: VolumeGrid = {
  dimensions: [4, 3, 2],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
};

/** A 4D uint8 label map on `grid`, one volume per array, written as `axial segment --layers 4d` writes one. */
async function write4d(name: string, volumes: readonly Uint8Array[]): Promise<string> {
  const path = join(folder, name);
  const [first, ...later] = volumes;
  await writeNifti(createVolume({ ...grid, voxels: first! }), path, { intent: 'label', laterTimePoints: later });
  return path;
}

/** 24 voxels, 0 but for `value` at the given indices. */
function labels(value: number, at: readonly number[]): Uint8Array {
  const voxels = new Uint8Array(24);
  for (const i of at) voxels[i] = value;
  return voxels;
}

describe('openLabelMap on a 4D NIfTI', () => {
  it.each(['layers.nii.gz', 'layers.nii'])('reads each volume of %s as a layer, the first empty, without "read volume 0"', async (name) => {
    const path = await write4d(name, [labels(0, []), labels(3, [5, 6, 23])]);
    const opened = await openLabelMap(path, grid);
    expect(opened.layers).toHaveLength(2);
    expect(opened.labels).toBe(opened.layers[0]);
    expect([...opened.layers[0]!].every((v) => v === 0)).toBe(true);
    expect([...opened.layers[1]!].flatMap((v, i) => (v ? [[i, v]] : []))).toEqual([
      [5, 3],
      [6, 3],
      [23, 3],
    ]);
    expect(opened.warnings).toEqual([]);
  });

  it('keeps overlapping labels of two volumes apart, and the app\'s "Open labels…" gets both layers and their segments', async () => {
    const path = await write4d('overlap-layers.nii.gz', [labels(1, [0, 1, 2]), labels(1, [1, 2, 3])]);
    const mask = await openMaskFile(path, grid);
    expect(mask.layers).toHaveLength(2);
    expect([...mask.layers[1]!].slice(0, 5)).toEqual([0, 1, 1, 1, 0]);
    expect(mask.segments.map((s) => [s.layer, s.value, s.name])).toEqual([
      [0, 1, 'Label 1, layer 1'],
      [1, 1, 'Label 1, layer 2'],
    ]);
    // Told apart on screen too: one value's colour in both layers would paint them alike.
    expect(mask.segments[0]!.colour).not.toEqual(mask.segments[1]!.colour);
  });

  it('reads the first 64 volumes of a file of 100 as layers, with a warning naming the file', async () => {
    const volumes = Array.from({ length: 100 }, (_, t) => labels(t + 1, [t % 24]));
    const opened = await openLabelMap(await write4d('hundred.nii.gz', volumes), grid);
    expect(opened.layers).toHaveLength(64);
    expect(opened.layers[63]![63 % 24]).toBe(64);
    expect(opened.warnings).toEqual(['hundred.nii.gz has 100 volumes; the first 64 were read as label layers']);
  });

  it('refuses a header claiming more volumes than the file holds (NIFTI_TRUNCATED) before reading the later ones', async () => {
    const path = await write4d('short.nii', [labels(1, [0]), labels(2, [1])]);
    const bytes = readFileSync(path);
    bytes.writeInt16LE(40, 48); // dim[4] (at byte 48): 40 volumes claimed, 2 present
    writeFileSync(path, bytes);
    await expectAxialError(openLabelMap(path, grid), 'NIFTI_TRUNCATED', /short\.nii: header claims 40 volumes; the file holds 2/);
  });
});
