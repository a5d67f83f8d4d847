import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelColour } from '../../../core/labels/labelColour.js';
import { openMaskFile } from '../../../main/loader/openMaskFile.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import type { VolumeGrid } from '../../../main/volume/Volume.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const root = mkdtempSync(join(tmpdir(), 'axial-openMaskNames-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let caseNumber = 0;
/** A fresh folder holding a copy of a real map (optionally with its NIfTI extensions removed by nibabel) as `seg.nii.gz`. */
function mapInFolder(relative: string, stripExtensions = false): string {
  const folder = join(root, `case${++caseNumber}`);
  mkdirSync(folder);
  const map = join(folder, 'seg.nii.gz');
  if (!stripExtensions) copyFileSync(sharedData(relative), map);
  else {
    const script = 'import sys, nibabel as nib\ni = nib.load(sys.argv[1])\ni.header.extensions.clear()\nnib.save(i, sys.argv[2])';
    execFileSync('/usr/bin/python3', ['-c', script, sharedData(relative), map]);
  }
  return map;
}

const ctMap = 'reference/ct-abdomen-j2k.totalseg-labels.nii.gz';
const mrMap = 'nifti/totalseg/example_seg_mr.nii.gz';

/** A volume's grid, said to be of `modality` (a label map's own grid, standing for the scan it is opened on). */
function gridOf(volume: VolumeGrid, metadata: { modality?: string; units?: string }): VolumeGrid {
  return { ...volume, metadata: { ...volume.metadata, ...metadata } };
}

/** A generated NIfTI label map (int16, 1 mm, one voxel per value) holding each of `values` once, in a fresh folder. */
function generatedMap(values: readonly number[]): string {
  const folder = join(root, `case${++caseNumber}`);
  mkdirSync(folder);
  const map = join(folder, 'atlas.nii.gz');
  const script =
    'import sys, json, numpy as np, nibabel as nib\nv = json.loads(sys.argv[1])\nd = np.zeros((len(v) + 1, 2, 1), np.int16)\n' +
    'd[1:, 0, 0] = v\nnib.save(nib.Nifti1Image(d, np.eye(4)), sys.argv[2])';
  execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(values), map]);
  return map;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, n) => from + n);

describe.skipIf(!hasSharedData)(`openMaskFile names a label map's segments (${noSharedDataReason})`, () => {
  let ct: VolumeGrid;
  let mr: VolumeGrid;
  beforeAll(async () => {
    ct = gridOf((await readNifti(sharedData(ctMap))).volume, { modality: 'CT' });
    mr = gridOf((await readNifti(sharedData(mrMap))).volume, { modality: 'MR' });
  });

  it("names TotalSegmentator's CT map from the label table in its NIfTI extension, in palette colours", async () => {
    const opened = await openMaskFile(mapInFolder(ctMap), ct);
    expect(opened.segments).toHaveLength(31);
    expect(opened.segments.slice(0, 4).map((s) => [s.value, s.name])).toEqual([
      [1, 'spleen'],
      [5, 'liver'],
      [6, 'stomach'],
      [7, 'pancreas'],
    ]);
    expect(opened.segments.at(-1)).toMatchObject({ value: 117, name: 'costal_cartilages' });
    // Its table's colours cycle through ten, so the palette is used.
    expect(opened.segments.every((s) => s.colour.join() === labelColour(s.value).join())).toBe(true);
    expect(opened.warnings).toEqual([]);
  });

  it("names the MR map from its own (MR) table, not the CT task's", async () => {
    const opened = await openMaskFile(mapInFolder(mrMap), mr);
    const name = (value: number): string | undefined => opened.segments.find((s) => s.value === value)?.name;
    expect(opened.segments).toHaveLength(23);
    expect([name(1), name(11), name(13), name(49)]).toEqual(['spleen', 'lung_right', 'small_bowel', 'iliopsoas_right']);
  });

  it("without the extension, the CT map on the CT is given TotalSegmentator's total names, with a warning that they were guessed", async () => {
    const ctOpened = await openMaskFile(mapInFolder(ctMap, true), ct);
    expect(ctOpened.segments).toHaveLength(31);
    expect(ctOpened.segments.map((s) => s.name).slice(0, 3)).toEqual(['spleen', 'liver', 'stomach']);
    expect(ctOpened.segments.find((s) => s.value === 52)?.name).toBe('aorta');
    expect(ctOpened.segments.at(-1)).toMatchObject({ value: 117, name: 'costal_cartilages' });
    expect(ctOpened.warnings).toEqual(["names from TotalSegmentator's table, guessed from the label values"]);
    // The same map on a grid said to be in HU (a CT read without a modality) is named too.
    const hu = await openMaskFile(mapInFolder(ctMap, true), gridOf(ct, { modality: 'OT', units: 'HU' }));
    expect(hu.segments[0]?.name).toBe('spleen');
  });

  it('without the extension, the same CT map on a volume not known to be CT, and the MR map (labels 1-49), stay Label N', async () => {
    const unknown = await openMaskFile(mapInFolder(ctMap, true), gridOf(ct, { modality: 'MR' }));
    expect(unknown.segments.slice(0, 2).map((s) => [s.value, s.name])).toEqual([
      [1, 'Label 1'],
      [5, 'Label 5'],
    ]);
    expect(unknown.warnings).toEqual([]);
    const mrOpened = await openMaskFile(mapInFolder(mrMap, true), mr);
    expect(mrOpened.segments.slice(0, 2).map((s) => s.name)).toEqual(['Label 1', 'Label 2']);
  });

  it("an AAL-like atlas (1-116) on an MR is not given TotalSegmentator's names", async () => {
    const map = generatedMap(range(1, 116));
    const opened = await openMaskFile(map, gridOf((await readNifti(map)).volume, { modality: 'MR' }));
    expect(opened.segments).toHaveLength(116);
    expect(opened.segments.every((s) => s.name === `Label ${s.value}`)).toBe(true);
    expect(opened.warnings).toEqual([]);
  });

  it('on a CT, a TotalSegmentator v1-like map (1-104, numbered differently from 7 on) and a map of {1, 51} stay Label N', async () => {
    for (const values of [range(1, 104), [1, 51]]) {
      const map = generatedMap(values);
      const opened = await openMaskFile(map, gridOf((await readNifti(map)).volume, { modality: 'CT', units: 'HU' }));
      expect(opened.segments.map((s) => s.value)).toEqual(values);
      expect(opened.segments.every((s) => s.name === `Label ${s.value}`)).toBe(true);
      expect(opened.warnings).toEqual([]);
    }
  });

  it("on a CT, a map with a value outside TotalSegmentator's 117 classes stays Label N", async () => {
    const map = generatedMap([1, 105, 118]);
    const opened = await openMaskFile(map, gridOf((await readNifti(map)).volume, { modality: 'CT' }));
    expect(opened.segments.map((s) => s.name)).toEqual(['Label 1', 'Label 105', 'Label 118']);
  });

  it('an ITK-SNAP label description beside the map comes first, with its colours', async () => {
    const map = mapInFolder(ctMap);
    writeFileSync(
      join(map, '..', 'seg.label.txt'),
      '0 0 0 0 0 0 0 "Clear Label"\n1 10 20 30 1 1 1 "Milz"\n5 200 100 50 1 1 1 "Leber"\n9 1 1 1 1 1 1 "absent"\n',
    );
    const opened = await openMaskFile(map, ct);
    expect(opened.segments.slice(0, 3).map((s) => [s.value, s.name, s.colour])).toEqual([
      [1, 'Milz', [10, 20, 30]],
      [5, 'Leber', [200, 100, 50]],
      [6, 'Label 6', labelColour(6)],
    ]);
    // Label 9 is named but has no voxels: it is not listed.
    expect(opened.segments.some((s) => s.value === 9)).toBe(false);
  });

  it('a 3D Slicer colour table beside the map (<stem>.ctbl) is read too', async () => {
    const map = mapInFolder(ctMap);
    writeFileSync(join(map, '..', 'seg.ctbl'), '# Color table file seg.ctbl\n0 Background 0 0 0 0\n1 Spleen 157 108 162 255\n52 Aorta 224 97 76 255\n');
    const opened = await openMaskFile(map, ct);
    expect(opened.segments.find((s) => s.value === 52)).toMatchObject({ name: 'Aorta', colour: [224, 97, 76] });
  });

  const hostile: [string, string | Uint8Array, RegExp][] = [
    ['huge', 'x'.repeat(5 * 1024 ** 2), /^label names in seg\.label\.txt not used: it is 5242880 bytes, over the 4194304-byte limit/],
    ['binary', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), /^label names in seg\.label\.txt not used: it is not a text file$/],
    [
      'bad numbers',
      '1 999 0 0 1 1 1 "a"\nNaN 1 1 1 1 1 1 "b"\n1e3 1 1 1 1 1 1 "c"\n',
      /^label names in seg\.label\.txt not used: it has no readable label line \(line 1/,
    ],
    ['unbalanced quotes', '1 255 0 0 1 1 1 "spleen\n5 1 2 3 1 1 1 liver"\n', /^label names in seg\.label\.txt not used: it has no readable label line/],
  ];
  it.each(hostile)('a %s name file gives a warning naming it and the next source names the map', async (_, content, warning) => {
    const map = mapInFolder(ctMap);
    writeFileSync(join(map, '..', 'seg.label.txt'), content);
    const opened = await openMaskFile(map, ct);
    expect(opened.warnings).toHaveLength(1);
    expect(opened.warnings[0]).toMatch(warning);
    expect(opened.segments[0]).toMatchObject({ value: 1, name: 'spleen' });
  });

  it('a folder or a FIFO where a name file would be is passed over with a warning, never read', async () => {
    const map = mapInFolder(ctMap);
    mkdirSync(join(map, '..', 'seg.label.txt'));
    execFileSync('mkfifo', [join(map, '..', 'seg.txt')]);
    const opened = await openMaskFile(map, ct);
    expect(opened.warnings).toEqual([
      'label names in seg.label.txt not used: a folder, not a regular file',
      'label names in seg.txt not used: a FIFO (named pipe), not a regular file',
    ]);
    expect(opened.segments[0]?.name).toBe('spleen');
  });
});
