import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentDef } from '../../../core/contract.js';
import { totalSegmentatorLabels } from '../../../main/dicomSeg/totalSegmentatorLabels.js';
import type { ScannedSeries } from '../../../main/input/scanInput.js';
import { writeMaskExport } from '../../../main/labels/writeMaskExport.js';
import { openMaskFile, type OpenedMask } from '../../../main/loader/openMaskFile.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { expectAxialError } from '../../expectAxialError.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-labelNames-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const checker = join(repoRoot, 'tests', 'fixtures', 'checkLabelExport.py');

interface PythonView {
  readonly voxelCounts: Record<string, number>;
  readonly labelTxt: [number, string, number[]][] | null;
  readonly segNrrd: [number, string, number[], number, number[]][] | null;
}

function pythonView(map: string, names?: string): PythonView {
  const args = [checker, map, ...(names ? [names] : [])];
  return JSON.parse(execFileSync('/usr/bin/python3', args, { encoding: 'utf8' })) as PythonView;
}

const table = (segments: readonly SegmentDef[]): [number, string, number[]][] => segments.map((s) => [s.value, s.name, [...s.colour]]);

function series(volume: Volume, file: string): ScannedSeries {
  return {
    index: 1,
    uid: '',
    description: '',
    modality: 'CT',
    format: 'nifti',
    files: [file],
    warnings: [],
    load: () => Promise.resolve({ volume, warnings: [] }),
  };
}

/** Two real TotalSegmentator maps: the 512×512×20 abdomen CT's (31 organs) and the small CT's (41). */
const maps = [
  { name: 'ct-abdomen-j2k', map: 'reference/ct-abdomen-j2k.totalseg-labels.nii.gz', present: 31 },
  { name: 'example_seg', map: 'nifti/totalseg/example_seg.nii.gz', present: 41 },
];

describe.skipIf(!hasSharedData).each(maps)(`label names round trip on $name (${noSharedDataReason})`, ({ name, map, present }) => {
  let volume: Volume;
  let opened: OpenedMask;
  /** The segment table as edited before export: two renamed (one with a quote, umlauts and a tab), one recoloured. */
  let edited: SegmentDef[];
  const source = join(folder, `${name}.nii.gz`);

  beforeAll(async () => {
    copyFileSync(sharedData(map), source);
    volume = (await readNifti(source)).volume;
    opened = await openMaskFile(source, volume);
    edited = opened.segments.map((s) =>
      s.value === 5 ? { ...s, name: 'Leber "gesamt"\tgrün' } : s.value === 1 ? { ...s, colour: [12, 200, 34] as [number, number, number] } : s,
    );
  });

  it('opens with TotalSegmentator organ names and the palette colours', () => {
    expect(opened.segments).toHaveLength(present);
    expect(opened.segments[0]).toMatchObject({ value: 1, name: 'spleen' });
    expect(opened.segments.find((s) => s.value === 5)?.name).toBe('liver');
    for (const s of opened.segments) expect(s.name).toBe(totalSegmentatorLabels.get(s.value));
    expect(opened.segments.some((s) => s.name.startsWith('Label '))).toBe(false);
  });

  it('NIfTI export writes <stem>.label.txt that our reader and Python read back alike', async () => {
    const out = join(folder, `${name}-out.nii.gz`);
    const result = await writeMaskExport({
      format: 'nifti',
      path: out,
      volume,
      series: series(volume, source),
      name,
      layers: opened.layers,
      segments: edited,
      inputs: [source],
    });
    expect(result.warnings).toEqual([]);
    const labelTxt = join(folder, `${name}-out.label.txt`);
    expect(readFileSync(labelTxt, 'utf8')).toMatch(/^# ITK-SnAP Label Description File$/m);
    const back = await openMaskFile(out, volume);
    const expected = table(edited).map(([v, n, c]) => [v, v === 5 ? 'Leber gesamt grün' : n, c] as [number, string, number[]]);
    expect(table(back.segments)).toEqual(expected);
    const seen = pythonView(out, labelTxt);
    expect(seen.labelTxt).toEqual(expected);
    // Every named value is in the voxels, and nothing else is.
    expect(
      Object.keys(seen.voxelCounts)
        .map(Number)
        .filter((v) => v > 0),
    ).toEqual(expected.map(([v]) => v));
  });

  it('.seg.nrrd export carries Slicer segment fields that our reader and Python read back alike', async () => {
    const out = join(folder, `${name}.seg.nrrd`);
    await writeMaskExport({
      format: 'nrrd',
      path: out,
      volume,
      series: series(volume, source),
      name,
      layers: opened.layers,
      segments: edited,
      inputs: [source],
    });
    const header = readFileSync(out).subarray(0, 200_000).toString('utf8');
    expect(header).toContain('Segment0_Name:=spleen\n');
    expect(header).toContain(
      'Segment0_Tags:=TerminologyEntry:Segmentation category and type - DICOM master list~SCT^123037004^Anatomical Structure~SCT^78961009^Spleen~',
    );
    const expected = table(edited).map(([v, n, c]) => [v, v === 5 ? 'Leber gesamt grün' : n, c] as [number, string, number[]]);
    // The header holds the names: no ITK-SNAP file is written beside a .seg.nrrd to go stale when Slicer renames.
    const beside = join(folder, `${name}.label.txt`);
    expect(existsSync(beside)).toBe(false);
    // One left beside it from before (here naming liver the old way) does not override the header.
    writeFileSync(beside, '1 1 2 3 1 1 1 "old spleen"\n5 4 5 6 1 1 1 "old liver"\n');
    const back = await openMaskFile(out, volume);
    rmSync(beside);
    expect(back.warnings).toEqual([]);
    expect(table(back.segments)).toEqual(expected);
    const seen = pythonView(out);
    expect(seen.segNrrd!.map(([v, n, c]) => [v, n, c])).toEqual(expected);
    expect(seen.segNrrd!.every(([, , , layer]) => layer === 0)).toBe(true);
    // The same voxels as the NIfTI source, by label counts (which the storage order cannot change).
    expect(seen.voxelCounts).toEqual(pythonView(source).voxelCounts);
  });

  it('a plain .nrrd export gets the ITK-SNAP file but no Slicer fields', async () => {
    const out = join(folder, `${name}-plain.nrrd`);
    await writeMaskExport({
      format: 'nrrd',
      path: out,
      volume,
      series: series(volume, source),
      name,
      layers: opened.layers,
      segments: edited,
      inputs: [source],
    });
    expect(readFileSync(out).subarray(0, 4096).toString('latin1')).not.toContain('Segment0_');
    expect(existsSync(join(folder, `${name}-plain.label.txt`))).toBe(true);
    expect(pythonView(out).segNrrd).toBeNull();
  });
});

describe.skipIf(!hasSharedData)(`label names export never writes over a name file it was opened with (${noSharedDataReason})`, () => {
  it("writes the map, keeps the input map's name file and says so", async () => {
    copyFileSync(sharedData('nifti/totalseg/example_seg.nii.gz'), join(folder, 'x.nii.gz'));
    const source = join(folder, 'x.nii.gz');
    const names = join(folder, 'x.label.txt');
    const original = '1 1 2 3 1 1 1 "mine"\n';
    writeFileSync(names, original);
    const volume = (await readNifti(source)).volume;
    const opened = await openMaskFile(source, volume);
    expect(opened.segments[0]?.name).toBe('mine');
    // x.nrrd's name file would be x.label.txt, the one the input map was named from.
    const out = join(folder, 'x.nrrd');
    const job = { format: 'nrrd' as const, path: out, volume, series: series(volume, source), name: 'x', layers: opened.layers, segments: opened.segments };
    const result = await writeMaskExport({ ...job, inputs: [source] });
    expect(result.warnings).toEqual(['label names not written: x.label.txt is a file the segmentation was opened with']);
    expect(readFileSync(names, 'utf8')).toBe(original);
    expect(existsSync(out)).toBe(true);
  });

  it('refuses before writing the map when its name file is write-protected, so the old map keeps the names that match it', async () => {
    const source = join(folder, 'y.nii.gz');
    copyFileSync(sharedData('nifti/totalseg/example_seg.nii.gz'), source);
    const volume = (await readNifti(source)).volume;
    const opened = await openMaskFile(source, volume);
    const out = join(folder, 'y-out.nii.gz');
    const names = join(folder, 'y-out.label.txt');
    writeFileSync(out, 'the old map');
    writeFileSync(names, '1 1 2 3 1 1 1 "old name"\n');
    chmodSync(names, 0o444);
    const job = { format: 'nifti' as const, path: out, volume, series: series(volume, source), name: 'y', layers: opened.layers, segments: opened.segments };
    await expectAxialError(writeMaskExport({ ...job, inputs: [source] }), 'OUTPUT_WRITE_FAILED', /y-out\.label\.txt: exists and is write-protected/);
    expect(readFileSync(out, 'utf8')).toBe('the old map');
  });
});

describe.skipIf(!hasSharedData)(`a .seg.nrrd written as 3D Slicer writes one (${noSharedDataReason})`, () => {
  const maker = join(repoRoot, 'tests', 'fixtures', 'makeSlicerSegNrrd.py');
  const sourceMap = sharedData('nifti/totalseg/example_seg.nii.gz');
  const slicerColour = (v: number): number[] => [(v * 37) % 256, (v * 91) % 256, (v * 53) % 256];

  it('opens with its segment names, colours and label values, on the same voxels', async () => {
    const path = join(folder, 'slicer.seg.nrrd');
    execFileSync('/usr/bin/python3', [maker, sourceMap, path, '1']);
    const volume = (await readNifti(sourceMap)).volume;
    const opened = await openMaskFile(path, volume);
    expect(opened.warnings).toEqual([]);
    expect(opened.segments).toHaveLength(41);
    for (const s of opened.segments) expect([s.name, [...s.colour]]).toEqual([`organ ${s.value}`, slicerColour(s.value)]);
    const original = await openMaskFile(sourceMap, volume);
    expect(Buffer.from(opened.layers[0]!).equals(Buffer.from(original.layers[0]!))).toBe(true);
  });

  it('with overlapping segments on two layers, opens both layers, each segment named in its own layer', async () => {
    const path = join(folder, 'layers.seg.nrrd');
    execFileSync('/usr/bin/python3', [maker, sourceMap, path, '2']);
    const volume = (await readNifti(sourceMap)).volume;
    const opened = await openMaskFile(path, volume);
    expect(opened.warnings).toEqual([]);
    expect(opened.layers).toHaveLength(2);
    const byLayer = (n: number): number[] => opened.segments.filter((s) => s.layer === n).map((s) => s.value);
    expect(byLayer(0)).toEqual([1, 3, 5, 7, 9, 11, 14, 19, 30, 32, 52, 64, 86, 88, 98, 100, 102, 110, 112, 114, 117]);
    expect(byLayer(1)).toHaveLength(20);
    for (const s of opened.segments) expect([s.name, [...s.colour]]).toEqual([`organ ${s.value}`, slicerColour(s.value)]);
    // Layer by layer, the voxels are the source map's with the other layer's labels taken out.
    const original = (await openMaskFile(sourceMap, volume)).layers[0]!;
    for (const n of [0, 1]) {
      const mine = new Set(byLayer(n));
      const expected = original.map((v) => (mine.has(v) ? v : 0));
      expect(Buffer.from(opened.layers[n]!).equals(Buffer.from(expected)), `layer ${n}`).toBe(true);
    }
  });
});

describe.skipIf(!hasSharedData)(`a segmentation of overlapping layers exported as .seg.nrrd (${noSharedDataReason})`, () => {
  it('keeps both layers, their names, colours and voxels, read back alike by our reader and Python', async () => {
    const sourceMap = sharedData('nifti/totalseg/example_seg.nii.gz');
    const volume = (await readNifti(sourceMap)).volume;
    const organs = await openMaskFile(sourceMap, volume);
    // A second layer that overlaps the first: the liver (5) grown by one voxel along i, as "liver margin" (1).
    const margin = new Uint8Array(organs.layers[0]!.length);
    organs.layers[0]!.forEach((v, n) => {
      if (v === 5) margin[n] = margin[n + 1] = 1;
    });
    const segments: SegmentDef[] = [...organs.segments, { ...organs.segments[0]!, layer: 1, value: 1, name: 'liver margin', colour: [250, 10, 10] }];
    const out = join(folder, 'overlap.seg.nrrd');
    const result = await writeMaskExport({
      format: 'nrrd',
      path: out,
      volume,
      series: series(volume, sourceMap),
      name: 'overlap',
      layers: [organs.layers[0]!, margin],
      segments,
      inputs: [sourceMap],
    });
    expect(result).toEqual({ warnings: ['2 overlapping layers kept; the names are in the Slicer file only (no ITK-SNAP label file)'], overlapping: 0 });
    expect(existsSync(join(folder, 'overlap.label.txt'))).toBe(false);

    const back = await openMaskFile(out, volume);
    expect(back.layers).toHaveLength(2);
    expect(Buffer.from(back.layers[0]!).equals(Buffer.from(organs.layers[0]!))).toBe(true);
    expect(Buffer.from(back.layers[1]!).equals(Buffer.from(margin))).toBe(true);
    const rows = (list: readonly SegmentDef[]) => list.map((s) => [s.layer, s.value, s.name, [...s.colour]]);
    expect(rows(back.segments)).toEqual(rows(segments));

    const seen = pythonView(out) as PythonView & { voxelCountsByLayer: Record<string, number>[] };
    expect(seen.segNrrd!.map(([v, n, c, layer]) => [layer, v, n, c])).toEqual(rows(segments));
    const marginVoxels = margin.reduce((sum, v) => sum + v, 0);
    expect(seen.voxelCountsByLayer[1]).toEqual({ '0': margin.length - marginVoxels, '1': marginVoxels });
    expect(seen.voxelCountsByLayer[0]).toEqual(pythonView(sourceMap).voxelCounts);
  });
});
