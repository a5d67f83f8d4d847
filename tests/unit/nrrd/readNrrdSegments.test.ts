import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLabelMap } from '../../../main/labels/openLabelMap.js';
import { parseNrrdSegments, readNrrdSegments } from '../../../main/nrrd/readNrrdSegments.js';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
import { writeNrrd } from '../../../main/nrrd/writeNrrd.js';
import { createVolume } from '../../../main/volume/Volume.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-nrrdSegments-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('parseNrrdSegments', () => {
  it("reads a Slicer header's segments in index order, checking every number", () => {
    const header = [
      'NRRD0004',
      'type: unsigned char',
      'Segment10_Name:=late',
      'Segment10_LabelValue:=12',
      'Segment0_Name:=spleen',
      'Segment0_Color:=0.5 0.25 1',
      'Segment0_LabelValue:=1',
      'Segment0_Layer:=0',
      'Segment1_Name:=bad numbers',
      'Segment1_Color:=1.5 0 0',
      'Segment1_LabelValue:=70000',
      'Segment1_Layer:=-1',
      'Segment2_Color:=0 0',
      'Segment2_LabelValue:=1e2',
      'Segment2_Layer:=1',
      '# Segment3_Name:=a comment',
      'Segment99999999_Name:=index too large',
      'Segmentation_MasterRepresentation:=Binary labelmap',
    ].join('\n');
    expect(parseNrrdSegments(header)).toEqual([
      { index: 0, name: 'spleen', colour: [0.5, 0.25, 1], labelValue: 1, layer: 0 },
      { index: 1, name: 'bad numbers', colour: null, labelValue: null, layer: 0 },
      { index: 2, name: '', colour: null, labelValue: null, layer: 1 },
      { index: 10, name: 'late', colour: null, labelValue: 12, layer: 0 },
    ]);
  });

  it('reads a Slicer 4.10 header (no Layer, no LabelValue) as one segment a frame, each of value 1', () => {
    // As vtkMRMLSegmentationStorageNode::ReadBinaryLabelmapRepresentation: segment N without _Layer is frame N, and a
    // segment without _LabelValue keeps vtkSegment's default 1; one without _Name is named by its _ID.
    const header = [
      'NRRD0004',
      'type: unsigned char',
      'dimension: 4',
      'sizes: 3 3 3 2',
      'kinds: list domain domain domain',
      'Segment0_ID:=Segment_1',
      'Segment0_Name:=Liver',
      'Segment1_ID:=Segment_2',
      'Segment1_Name:=Spleen',
      'Segment2_ID:=Segment_3',
      'Segment2_Color:=1 0 0',
    ].join('\n');
    expect(parseNrrdSegments(header)).toEqual([
      { index: 0, name: 'Liver', colour: null, labelValue: 1, layer: 0 },
      { index: 1, name: 'Spleen', colour: null, labelValue: 1, layer: 1 },
      { index: 2, name: 'Segment_3', colour: [1, 0, 0], labelValue: 1, layer: 2 },
    ]);
  });

  it('unescapes values as Teem does: \\\\ to a backslash, \\n to a line break, any other backslash kept', () => {
    const header = ['NRRD0004', 'Segment0_Name:=C:\\\\scans\\nleft\\tlobe', 'Segment0_LabelValue:=3'].join('\n');
    expect(parseNrrdSegments(header)[0]!.name).toBe('C:\\scans\nleft\\tlobe');
  });

  it('is empty for a NRRD without segment fields', () => {
    expect(parseNrrdSegments('NRRD0004\ntype: short\nsizes: 1 1 1\n')).toEqual([]);
  });
});

describe('writeNrrd keyValues', () => {
  it('writes key:=value lines our reader leaves alone, UTF-8 names intact, escaped as Teem escapes them', async () => {
    const volume = createVolume({
      dimensions: [2, 2, 1],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      voxels: new Uint8Array([0, 1, 1, 2]),
      metadata: { format: 'nrrd', windowPresets: [], fileCount: 1 },
    });
    const path = join(folder, 'kv.seg.nrrd');
    await writeNrrd(volume, path, {
      keyValues: [
        ['Segment0_Name', 'Leber grün 肝臓'],
        ['Segment0_LabelValue', '1'],
        ['Segment1_Name', 'x\nspace origin: (9,9,9)'],
        ['Segment2_Name', 'Liver\\new\r\\\\'],
        ['bad key:', 'dropped'],
      ],
    });
    // Teem's _nrrdKeyValueWrite writes \ as \\ and a line break as \n (CR as a space). ITK 5.2's NrrdImageIO read
    // Liver\new written unescaped as "Liver", a line break, "ew"; written escaped (Liver\\new), as Liver\new.
    const lines = readFileSync(path, 'latin1').split('\n');
    expect(lines).toContain('Segment1_Name:=x\\nspace origin: (9,9,9)');
    expect(lines).toContain('Segment2_Name:=Liver\\\\new \\\\\\\\');
    const segments = await readNrrdSegments(path);
    expect(segments.map((s) => s.name)).toEqual(['Leber grün 肝臓', 'x\nspace origin: (9,9,9)', 'Liver\\new \\\\']);
    const read = await readNrrd(path);
    expect(read.volume.origin).toEqual([0, 0, 0]);
    expect([...read.volume.voxels]).toEqual([0, 1, 1, 2]);
  });

  it('reads the segments of a hand-written header-only file', async () => {
    const path = join(folder, 'hand.nhdr');
    writeFileSync(path, 'NRRD0004\ntype: uchar\nSegment0_Name:=aorta\nSegment0_LabelValue:=52\n\n');
    expect(await readNrrdSegments(path)).toEqual([{ index: 0, name: 'aorta', colour: null, labelValue: 52, layer: 0 }]);
  });
});

describe('readNrrd samples', () => {
  it("splits a 4-D file's first (list) axis into volumes only when asked, and then drops the 'kept the first' warning", async () => {
    const path = join(folder, 'layers.nrrd');
    const header = 'NRRD0004\ntype: uchar\ndimension: 4\nsizes: 2 2 1 1\nspace: left-posterior-superior\n';
    const geometry = 'space directions: none (1,0,0) (0,1,0) (0,0,1)\nkinds: list domain domain domain\nencoding: raw\nspace origin: (0,0,0)\n\n';
    writeFileSync(path, Buffer.concat([Buffer.from(header + geometry, 'latin1'), Buffer.from([1, 2, 3, 4])]));
    const plain = await readNrrd(path);
    expect([...plain.volume.voxels]).toEqual([1, 3]);
    expect(plain.samples).toBeUndefined();
    expect(plain.warnings).toEqual(['4-D NRRD: kept the first of 2 samples along axis 0 (kind list)']);
    const all = await readNrrd(path, { samples: 64 });
    expect(all.samples?.map((s) => [...s])).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(all.volume.voxels).toBe(all.samples![0]);
    expect(all.warnings).toEqual([]);
  });

  /** A generated layers-first uchar NRRD of `layers` samples on a 2x2x1 grid, voxel v of layer l holding (l * 4 + v) % 256. */
  function layeredNrrd(name: string, layers: number, bytes = layers * 4, extra = ''): string {
    const path = join(folder, name);
    const header =
      `NRRD0004\ntype: uchar\ndimension: 4\nsizes: ${layers} 2 2 1\nspace: left-posterior-superior\n` +
      'space directions: none (1,0,0) (0,1,0) (0,0,1)\nkinds: list domain domain domain\nencoding: raw\nspace origin: (0,0,0)\n' +
      extra +
      '\n';
    // Layers first: the file holds voxel 0's value in every layer, then voxel 1's, and so on.
    const data = Buffer.alloc(bytes);
    for (let n = 0; n < bytes; n++) data[n] = ((n % layers) * 4 + Math.floor(n / layers)) % 256;
    writeFileSync(path, Buffer.concat([Buffer.from(header, 'latin1'), data]));
    return path;
  }

  it('a header of 1000 layers gives only the 64 asked for, and a warning naming the file', async () => {
    const read = await readNrrd(layeredNrrd('thousand.nrrd', 1000), { samples: 64 });
    expect(read.samples).toHaveLength(64);
    expect([...read.samples![0]!]).toEqual([0, 1, 2, 3]);
    expect([...read.samples![63]!]).toEqual([252, 253, 254, 255]);
    expect(read.warnings).toEqual(['thousand.nrrd has 1000 layers; the first 64 were read']);
  });

  it('a header of 1000 layers over bytes for 2 is refused as truncated before anything is allocated', async () => {
    await expect(readNrrd(layeredNrrd('short.nrrd', 1000, 8), { samples: 64 })).rejects.toMatchObject({
      code: 'NRRD_TRUNCATED',
      message: expect.stringContaining('4000 bytes declared, 8 present'),
    });
  });

  it('a .seg.nrrd of 1000 layers opens as 64 label layers, with the warning', async () => {
    const path = layeredNrrd('thousand.seg.nrrd', 1000, 4000, 'Segment0_Name:=a\nSegment0_LabelValue:=1\nSegment0_Layer:=999\n');
    const grid = (await readNrrd(path)).volume;
    const opened = await openLabelMap(path, grid);
    expect(opened.layers).toHaveLength(64);
    expect([...opened.layers[1]!]).toEqual([4, 5, 6, 7]);
    expect(opened.warnings).toEqual(['thousand.seg.nrrd has 1000 layers; the first 64 were read']);
  });
});
