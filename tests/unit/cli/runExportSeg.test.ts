import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { fifo, within } from '../../fifo.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-export-seg-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ctFolder = sharedData('dicom/ct-abdomen-j2k');
const totalsegLabels = sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz');

/** pydicom's view of each segment: label, algorithm, and how many pixels its frames set; nibabel's count per label value. */
const segmentsScript = `
import sys, json, pydicom, numpy as np, nibabel as nib
seg = pydicom.dcmread(sys.argv[1])
pixels = seg.pixel_array.reshape(int(seg.NumberOfFrames), -1)
set_pixels = {}
for f, group in enumerate(seg.PerFrameFunctionalGroupsSequence):
    n = int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
    set_pixels[n] = set_pixels.get(n, 0) + int(pixels[f].sum())
labels = np.asarray(nib.load(sys.argv[2]).dataobj).astype(np.int64)
values, counts = np.unique(labels, return_counts=True)
print(json.dumps({
    'segments': [{'number': int(s.SegmentNumber), 'label': str(s.SegmentLabel), 'type': str(s.SegmentAlgorithmType),
                  'algorithm': str(s.get('SegmentAlgorithmName', '')), 'pixels': set_pixels.get(int(s.SegmentNumber), 0)} for s in seg.SegmentSequence],
    'voxels': {str(int(v)): int(c) for v, c in zip(values, counts) if v != 0},
}))`;

interface SegmentsRead {
  segments: { number: number; label: string; type: string; algorithm: string; pixels: number }[];
  voxels: Record<string, number>;
}

describe.skipIf(!hasSharedData)(`axial export-seg (${noSharedDataReason})`, () => {
  it('writes a SEG whose "liver" segment holds exactly label 5\'s voxels, and prints a JSON summary', async () => {
    const output = join(folder, 'totalseg.dcm');
    const io = captureIo();
    const code = await runCli(
      [
        'export-seg',
        '--source',
        ctFolder,
        '--labels',
        totalsegLabels,
        output,
        '--label-names',
        'totalsegmentator',
        '--algorithm',
        'TotalSegmentator',
        '--json',
      ],
      io,
    );
    expect(code, io.errLines.join('\n')).toBe(0);
    expect(existsSync(output)).toBe(true);
    const summary = JSON.parse(io.outLines.join('\n')) as { output: string; frames: number; segments: { value: number; label: string }[] };
    expect(summary.output).toBe(output);
    expect(summary.frames).toBe(520);
    expect(summary.segments).toHaveLength(31);
    expect(summary.segments.find((s) => s.value === 5)).toEqual({ value: 5, label: 'liver' });
    expect(io.errLines).toContain(
      "axial: warning: ct-abdomen-j2k.totalseg-labels.nii.gz: stored in LAS order; reordered onto the volume's LPS grid (no resampling)",
    );
    expect(io.errLines.some((l) => /^axial: warning: the source images have no StudyInstanceUID/.test(l))).toBe(true);

    const read = runPythonJson<SegmentsRead>(segmentsScript, [output, totalsegLabels]);
    const liver = read.segments.find((s) => s.label === 'liver')!;
    expect(liver).toEqual({
      number: summary.segments.findIndex((s) => s.value === 5) + 1,
      label: 'liver',
      type: 'AUTOMATIC',
      algorithm: 'TotalSegmentator',
      pixels: read.voxels['5'],
    });
    expect(liver.pixels).toBeGreaterThan(10_000);
    // Every segment carries exactly its label's voxels, in label order.
    expect(read.segments.map((s) => s.pixels)).toEqual(summary.segments.map((s) => read.voxels[String(s.value)]));
  });

  it('names labels "Label N" and makes MANUAL segments without --label-names and --algorithm; reads names from JSON', async () => {
    const names = join(folder, 'names.json');
    writeFileSync(names, JSON.stringify({ 5: 'Liver (checked)', 1: 'Spleen' }));
    const output = join(folder, 'named.dcm');
    const io = captureIo();
    expect(await runCli(['export-seg', '--source', ctFolder, '--labels', totalsegLabels, output, '--label-names', names], io)).toBe(0);
    expect(io.errLines.at(-1)).toMatch(
      new RegExp(`^axial: wrote ${output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(31 segments, 520 frames\\) in \\d+\\.\\d s$`),
    );
    const read = runPythonJson<SegmentsRead>(segmentsScript, [output, totalsegLabels]);
    expect(read.segments.slice(0, 3).map((s) => [s.label, s.type, s.algorithm])).toEqual([
      ['Spleen', 'MANUAL', ''],
      ['Liver (checked)', 'MANUAL', ''],
      ['Label 6', 'MANUAL', ''],
    ]);
    expect(read.segments[1]!.pixels).toBe(read.voxels['5']);
  });

  it('fails with exit code 1 and one error line naming a missing label map', async () => {
    const io = captureIo();
    const missing = join(folder, 'no-such-labels.nii.gz');
    const output = join(folder, 'never.dcm');
    expect(await runCli(['export-seg', '--source', ctFolder, '--labels', missing, output], io)).toBe(1);
    expect(io.errLines).toHaveLength(1);
    expect(io.errLines[0]).toMatch(/^axial: error INPUT_\w+: .*no-such-labels\.nii\.gz/);
    expect(existsSync(output)).toBe(false);
  });

  it('names a missing output folder before reading anything, never the temporary file', async () => {
    const io = captureIo();
    // The label map is missing too: the output is checked first, so its error is the one given.
    const output = join(folder, 'nodir', 'out.dcm');
    const argv = ['export-seg', '--source', ctFolder, '--labels', join(folder, 'no-such-labels.nii.gz'), output];
    expect(await runCli(argv, io)).toBe(1);
    expect(io.errLines).toEqual([`axial: error OUTPUT_WRITE_FAILED: ${output}: cannot write: the folder ${join(folder, 'nodir')} does not exist`]);
  });

  it('refuses bad arguments with exit code 2', async () => {
    for (const argv of [
      ['export-seg', '--labels', totalsegLabels, join(folder, 'a.dcm')],
      ['export-seg', '--source', ctFolder, '--labels', totalsegLabels],
      ['export-seg', '--source', ctFolder, '--labels', totalsegLabels, 'a.dcm', 'b.dcm'],
      ['export-seg', '--source', ctFolder, '--labels', totalsegLabels, 'a.dcm', '--colour', 'red'],
    ]) {
      const io = captureIo();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.errLines[0]).toMatch(/^axial: error CLI_USAGE: /);
    }
  });

  it('refuses a NIfTI source: a SEG must reference DICOM images', async () => {
    const io = captureIo();
    const nifti = sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz');
    expect(await runCli(['export-seg', '--source', nifti, '--labels', totalsegLabels, join(folder, 'n.dcm')], io)).toBe(1);
    expect(io.errLines.at(-1)).toMatch(/^axial: error SEG_NEEDS_DICOM_SOURCE: .*ct-abdomen-j2k\.dcm2niix\.nii\.gz: /);
  });
});

describe.skipIf(process.platform === 'win32')('axial export-seg: a FIFO named by --label-names', () => {
  it('fails at once with INPUT_NOT_A_FILE instead of waiting for a writer', async () => {
    const io = captureIo();
    const pipe = fifo.make(join(folder, 'fifo-names.json'));
    try {
      // Generous: the names are read first, in milliseconds; a FIFO without a writer would never answer.
      const argv = ['export-seg', '--source', folder, '--labels', join(folder, 'labels.nii.gz'), join(folder, 'out.dcm'), '--label-names', pipe];
      expect(await within(runCli(argv, io), 20_000)).toBe(1);
      expect(io.errLines).toEqual([expect.stringMatching(/^axial: error INPUT_NOT_A_FILE: .*fifo-names\.json: a FIFO/)]);
    } finally {
      fifo.release(pipe);
    }
  });
});
