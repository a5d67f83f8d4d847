import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume, type Volume } from '../../../main/volume/Volume.js';
import { runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-export-seg-layers-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ctFolder = sharedData('dicom/ct-abdomen-j2k');

/** pydicom's view of each segment: its label and how many pixels its frames set; and SegmentsOverlap. */
const segmentsScript = `
import sys, json, pydicom
seg = pydicom.dcmread(sys.argv[1])
pixels = seg.pixel_array.reshape(int(seg.NumberOfFrames), -1)
set_pixels = {}
for f, group in enumerate(seg.PerFrameFunctionalGroupsSequence):
    n = int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
    set_pixels[n] = set_pixels.get(n, 0) + int(pixels[f].sum())
print(json.dumps({
    'overlap': str(seg.SegmentsOverlap),
    'segments': [[str(s.SegmentLabel), set_pixels.get(int(s.SegmentNumber), 0)] for s in seg.SegmentSequence],
}))`;

describe.skipIf(!hasSharedData)(`axial export-seg with a 4D NIfTI label map (${noSharedDataReason})`, () => {
  let volume: Volume;
  beforeAll(async () => {
    const scan = await scanInput(ctFolder);
    volume = (await scan.series[0]!.load()).volume;
  });

  /** A 4D uint8 label map on the CT's grid, one volume per function (voxel index → label), as `segment --layers 4d` writes. */
  async function write4d(name: string, layers: readonly ((i: number) => number)[]): Promise<string> {
    const path = join(folder, name);
    const [first, ...later] = layers.map((label) => new Uint8Array(volume.voxels.length).map((_, i) => label(i)));
    const { dimensions, spacing, origin, direction } = volume;
    const grid = { dimensions, spacing, origin, direction, metadata: { format: 'nifti' as const, windowPresets: [], fileCount: 1 } };
    await writeNifti(createVolume({ ...grid, voxels: first! }), path, { intent: 'label', laterTimePoints: later });
    return path;
  }

  it('writes the labels of every volume, an empty volume 0 included, as segments of their own layer', async () => {
    const slice = volume.dimensions[0] * volume.dimensions[1];
    // Volume 0 is empty; volume 1 holds label 2 in 1000 voxels of slice 3 and label 7 in 500 of slice 10.
    const labels = await write4d('empty-first.nii.gz', [
      () => 0,
      (i) => (i >= 3 * slice && i < 3 * slice + 1000 ? 2 : i >= 10 * slice && i < 10 * slice + 500 ? 7 : 0),
    ]);
    const output = join(folder, 'empty-first.dcm');
    const io = captureIo();
    // A name for a value found in one layer only is used.
    const names = join(folder, 'kidney.json');
    writeFileSync(names, '{"7": "kidney"}');
    const args = ['export-seg', '--source', ctFolder, '--labels', labels, output, '--json', '--label-names', names];
    expect(await runCli(args, io), io.errLines.join('\n')).toBe(0);
    expect(io.errLines.filter((l) => /volume/.test(l))).toEqual([]);
    const summary = JSON.parse(io.outLines.join('\n')) as { frames: number; segments: unknown[] };
    expect(summary.segments).toEqual([
      { layer: 1, value: 2, label: 'Label 2, layer 2' },
      { layer: 1, value: 7, label: 'kidney' },
    ]);
    expect(summary.frames).toBe(2);
    expect(runPythonJson(segmentsScript, [output])).toEqual({
      overlap: 'NO',
      segments: [
        ['Label 2, layer 2', 1000],
        ['kidney', 500],
      ],
    });
  });

  it('keeps overlapping segments of two volumes, each with all its voxels', async () => {
    // Label 1 of volume 0 covers voxels 0–2999 of slice 5, label 1 of volume 1 voxels 2000–4999: 1000 shared.
    const base = 5 * volume.dimensions[0] * volume.dimensions[1];
    const labels = await write4d('overlap.nii.gz', [(i) => (i >= base && i < base + 3000 ? 1 : 0), (i) => (i >= base + 2000 && i < base + 5000 ? 1 : 0)]);
    const output = join(folder, 'overlap.dcm');
    const io = captureIo();
    const names = join(folder, 'names.json');
    writeFileSync(names, '{"1": "spleen"}');
    expect(await runCli(['export-seg', '--source', ctFolder, '--labels', labels, output, '--label-names', names], io), io.errLines.join('\n')).toBe(0);
    // Names go by value, and value 1 is a structure of its own in each layer: not "spleen" twice.
    expect(io.errLines).toContain(
      'axial: warning: --label-names not used for label 1: in overlap.nii.gz each is in several layers, a structure of its own in each',
    );
    expect(runPythonJson(segmentsScript, [output])).toEqual({
      overlap: 'UNDEFINED',
      segments: [
        ['Label 1, layer 1', 3000],
        ['Label 1, layer 2', 3000],
      ],
    });
  });

  it('refuses a label map of empty volumes with SEG_EMPTY naming the label map, and writes nothing', async () => {
    const labels = await write4d('all-empty.nii.gz', [() => 0, () => 0]);
    const output = join(folder, 'all-empty.dcm');
    const io = captureIo();
    expect(await runCli(['export-seg', '--source', ctFolder, '--labels', labels, output], io)).toBe(1);
    expect(io.errLines.at(-1)).toBe(`axial: error SEG_EMPTY: ${labels}: holds no labelled voxel in any of its 2 layers: nothing to write`);
    expect(existsSync(output)).toBe(false);
  });
});
