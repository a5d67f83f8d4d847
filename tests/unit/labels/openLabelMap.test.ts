import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openLabelMap } from '../../../main/labels/openLabelMap.js';
import { openMaskFile } from '../../../main/loader/openMaskFile.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
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

/**
 * A 3D Slicer segmentation as the audit of Slicer 4.10's files shaped it, on an oblique 6×5×4 reference volume (axis
 * steps (0.8,0.1,0), (-0.1,0.9,0.05), (0,0,2.5) mm in LPS from (-50,20,7)), cropped to 3×3×2 voxels at
 * reference index (2, 1, 1): `Segmentation_ReferenceImageExtentOffset:=2 1 1`.
 */
function slicerFiles(name: string, frames: number, fields: readonly string[], at: readonly (readonly [number, number, number, number])[]) {
  const steps = '(0.8,0.1,0.0) (-0.1,0.9,0.05) (0.0,0.0,2.5)';
  const ref = join(folder, `${name}.ref.nrrd`);
  const refHeader = ['NRRD0004', 'type: short', 'dimension: 3', 'space: left-posterior-superior', 'sizes: 6 5 4'];
  const refGeometry = [`space directions: ${steps}`, 'kinds: domain domain domain', 'endian: little', 'encoding: gzip', 'space origin: (-50,20,7)'];
  writeFileSync(ref, Buffer.concat([Buffer.from([...refHeader, ...refGeometry, '', ''].join('\n')), gzipSync(Buffer.alloc(6 * 5 * 4 * 2))]));
  // Frames fastest, then i, j, k, as Slicer writes its list axis first; origin (-50,20,7) + 2·a + 1·b + 1·c.
  const data = Buffer.alloc(frames * 3 * 3 * 2);
  for (const [frame, i, j, k] of at) data[frame + frames * (i + 3 * (j + 3 * k))] = 1;
  const seg = join(folder, `${name}.seg.nrrd`);
  const segHeader = ['NRRD0004', 'type: unsigned char', 'dimension: 4', 'space: left-posterior-superior', `sizes: ${frames} 3 3 2`];
  const segGeometry = [`space directions: none ${steps}`, 'kinds: list domain domain domain', 'encoding: gzip', 'space origin: (-48.5,21.1,9.55)'];
  const text = [
    ...segHeader,
    ...segGeometry,
    ...fields,
    'Segmentation_MasterRepresentation:=Binary labelmap',
    'Segmentation_ReferenceImageExtentOffset:=2 1 1',
  ];
  writeFileSync(seg, Buffer.concat([Buffer.from([...text, '', ''].join('\n')), gzipSync(data)]));
  return { ref, seg };
}

/** The labelled voxels of each layer as [i, j, k, value] on a 6×5×4 grid. */
function labelled(layers: readonly ArrayLike<number>[]): number[][][] {
  return layers.map((layer) => Array.from(layer).flatMap((v, n) => (v ? [[n % 6, Math.floor(n / 6) % 5, Math.floor(n / 30), v]] : [])));
}

describe('openLabelMap on a 3D Slicer segmentation', () => {
  it('reads every segment of a Slicer 4.10 file (one per frame, no Layer or LabelValue) onto the reference grid', async () => {
    // Slicer's ReadBinaryLabelmapRepresentation puts segment N without _Layer on frame N, label value 1.
    const fields = ['Liver', 'Spleen', 'Tumour'].flatMap((name, n) => [`Segment${n}_ID:=Segment_${n + 1}`, `Segment${n}_Name:=${name}`]);
    const { ref, seg } = slicerFiles('slicer410', 3, fields, [
      [0, 0, 0, 0], // Liver at reference (2, 1, 1)
      [1, 2, 2, 1], // Spleen at reference (4, 3, 2)
      [2, 0, 1, 1], // Tumour at reference (2, 2, 2) …
      [2, 0, 0, 0], // … and (2, 1, 1), over the Liver
    ]);
    const { volume } = await readNrrd(ref);
    const mask = await openMaskFile(seg, volume);
    expect(labelled(mask.layers)).toEqual([
      [[2, 1, 1, 1]],
      [[4, 3, 2, 1]],
      [
        [2, 1, 1, 1],
        [2, 2, 2, 1],
      ],
    ]);
    expect(mask.segments.map((s) => [s.layer, s.value, s.name])).toEqual([
      [0, 1, 'Liver'],
      [1, 1, 'Spleen'],
      [2, 1, 'Tumour'],
    ]);
    // Voxels per segment: 1, 1, 2. The crop is a whole-voxel shift on the volume's own axes: no "reordered" warning.
    expect(mask.layers.map((layer) => Array.from(layer).filter((v) => v === 1).length)).toEqual([1, 1, 2]);
    expect(mask.warnings).toEqual(['covers 15.0% of the volume; the rest is unlabelled']);
  });

  it('names a segment without _Name by its _ID, as Slicer does', async () => {
    const fields = [
      'Segment0_ID:=Segment_1',
      'Segment0_LabelValue:=1',
      'Segment0_Layer:=0',
      'Segment1_ID:=Segment_2',
      'Segment1_Name:=Two',
      'Segment1_Layer:=1',
    ];
    const { ref, seg } = slicerFiles('noname', 2, fields, [
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ]);
    const mask = await openMaskFile(seg, (await readNrrd(ref)).volume);
    expect(mask.segments.map((s) => [s.layer, s.value, s.name])).toEqual([
      [0, 1, 'Segment_1'],
      [1, 1, 'Two'],
    ]);
    expect(labelled(mask.layers)).toEqual([[[2, 1, 1, 1]], [[3, 2, 2, 1]]]);
  });

  it('does not call a cropped segmentation on the volume\'s own axes "reordered": only its offset differs', async () => {
    const fields = ['Segment0_ID:=Segment_1', 'Segment0_Name:=One', 'Segment0_LabelValue:=1', 'Segment0_Layer:=0'];
    const { ref, seg } = slicerFiles(
      'cropped',
      2,
      [...fields, 'Segment1_ID:=Segment_2', 'Segment1_Name:=Two', 'Segment1_LabelValue:=1', 'Segment1_Layer:=1'],
      [
        [0, 2, 2, 1],
        [1, 0, 0, 0],
      ],
    );
    const opened = await openLabelMap(seg, (await readNrrd(ref)).volume);
    expect(labelled(opened.layers)).toEqual([[[4, 3, 2, 1]], [[2, 1, 1, 1]]]);
    expect(opened.warnings).toEqual(['covers 15.0% of the volume; the rest is unlabelled']);
  });
});
