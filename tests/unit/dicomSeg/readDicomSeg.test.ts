import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInput } from '../../../main/input/scanInput.js';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
import { type Volume } from '../../../main/volume/Volume.js';
import { readDicomSeg, type ReadDicomSegResult } from '../../../main/dicomSeg/readDicomSeg.js';
import type { SegSegment } from '../../../main/dicomSeg/SegSegment.js';
import { resampleLabels } from '../../../main/labels/resampleLabels.js';
import { expectAxialError } from '../../expectAxialError.js';
import { hasSharedData, noSharedDataReason } from '../../sharedData.js';
import { fifo, within } from '../../fifo.js';
import { hasPydicomCt2, pydicomCt2, pydicomSegmentVoxels, segData } from './pydicomSeg.js';
import { tinyVolume } from '../../tinyVolume.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-readDicomSeg-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function loadOnly(path: string): Promise<{ volume: Volume; warnings: string[] }> {
  const scan = await scanInput(path);
  expect(scan.series).toHaveLength(1);
  return scan.series[0]!.load();
}

/** Sorted flat indices of one segment's voxels. */
function voxelsOf(result: ReadDicomSegResult, segment: SegSegment): number[] {
  const layer = result.seg.layers[segment.layer]!;
  const out: number[] = [];
  layer.forEach((v, n) => v === segment.value && out.push(n));
  return out;
}

/** Each segment's voxels are exactly those pydicom's decoding puts at the slices its frames reference. */
function expectSegmentsAsPydicom(result: ReadDicomSegResult, path: string, volume: Volume): void {
  const reference = pydicomSegmentVoxels(path, volume.metadata.sopInstanceUids!);
  for (const segment of result.seg.segments) {
    const number = segment.value; // a segment's label value is its SegmentNumber
    expect(voxelsOf(result, segment)).toEqual(reference[String(number)]);
  }
}

function intersection(a: readonly number[], b: readonly number[]): number {
  const set = new Set(a);
  return b.filter((v) => set.has(v)).length;
}

/** A NRRD label map of the same grid, as a Uint8Array on the volume's grid. */
async function nrrdLabels(path: string, volume: Volume): Promise<Uint8Array> {
  const { volume: labels } = await readNrrd(path);
  const placed = resampleLabels({ grid: labels, labels: Uint8Array.from(labels.voxels) }, volume);
  expect(placed.relation).toBe('same');
  return placed.labels as Uint8Array;
}

describe.skipIf(!hasSharedData)(`readDicomSeg onto the dcmqi CT slices (${noSharedDataReason})`, () => {
  let ct: Volume;
  beforeAll(async () => {
    ct = (await loadOnly(segData('ct-3slice'))).volume;
    expect(ct.dimensions).toEqual([512, 512, 3]);
  });

  it('places liver.dcm exactly as the liver_seg.nrrd it was made from: 107098 voxels, none different', async () => {
    const result = await readDicomSeg(segData('dcmqi/liver.dcm'), ct);
    expect(result.name).toBe('liver.dcm');
    expect(result.warnings).toEqual([]);
    expect(result.seg.layers).toHaveLength(1);
    expect(result.seg.layers[0]).toBeInstanceOf(Uint8Array);
    expect(result.seg.segments).toMatchObject([{ layer: 0, value: 1, label: 'Liver', colour: [217, 130, 101] }]);
    const expected = await nrrdLabels(segData('dcmqi/liver_seg.nrrd'), ct);
    let mismatches = 0;
    expected.forEach((v, n) => v !== result.seg.layers[0]![n] && mismatches++);
    expect(mismatches).toBe(0);
    const sliceSize = 512 * 512;
    const perSlice = [0, 1, 2].map((k) => Array.from(result.seg.layers[0]!.subarray(k * sliceSize, (k + 1) * sliceSize)).reduce((a, v) => a + v, 0));
    expect(perSlice).toEqual([36233, 35645, 35220]);
    expectSegmentsAsPydicom(result, segData('dcmqi/liver.dcm'), ct);
  });

  it('keeps the overlapping segments of partial_overlaps.dcm whole, in 3 layers; layer 0 is partial_overlaps-1.nrrd', async () => {
    const path = segData('dcmqi/partial_overlaps.dcm');
    const result = await readDicomSeg(path, ct);
    expect(result.warnings).toEqual([]);
    // GREEN∩ORANGE 3017 voxels, GREEN∩PURPLE 95, ORANGE∩PURPLE 50: three layers; LIGHT_BLUE and DARK_BLUE fit beside GREEN.
    expect(result.seg.segments.map((s) => [s.label, s.layer, s.value])).toEqual([
      ['GREEN', 0, 1],
      ['ORANGE', 1, 2],
      ['PURPLE', 2, 3],
      ['LIGHT_BLUE', 0, 4],
      ['DARK_BLUE', 0, 5],
    ]);
    expect(result.seg.layers).toHaveLength(3);
    const voxels = result.seg.segments.map((s) => voxelsOf(result, s));
    expect(voxels.map((v) => v.length)).toEqual([9602, 11888, 10743, 6693, 4713]);
    expect([intersection(voxels[0]!, voxels[1]!), intersection(voxels[0]!, voxels[2]!), intersection(voxels[1]!, voxels[2]!)]).toEqual([3017, 95, 50]);
    expectSegmentsAsPydicom(result, path, ct);
    // The NRRD holds segments 1, 4 and 5 (labels 1, 4, 5), the non-overlapping first of dcmqi's inputs.
    const expected = await nrrdLabels(segData('dcmqi/partial_overlaps-1.nrrd'), ct);
    let mismatches = 0;
    expected.forEach((v, n) => v !== result.seg.layers[0]![n] && mismatches++);
    expect(mismatches).toBe(0);
  });

  it('refuses sparse-labelmap-noppv.dcm, drawn on another series, with SEG_SOURCE_MISMATCH', async () => {
    await expectAxialError(
      readDicomSeg(segData('dcmqi/sparse-labelmap-noppv.dcm'), ct),
      'SEG_SOURCE_MISMATCH',
      /its frames are 24×38 pixels but the volume's slices are 512×512: it was not drawn on this series/,
    );
  });

  it('reports a missing file, a folder and a truncated file with their codes', async () => {
    await expectAxialError(readDicomSeg(join(folder, 'absent.dcm'), ct), 'INPUT_NOT_FOUND', /absent\.dcm: cannot read/);
    await expectAxialError(readDicomSeg(folder, ct), 'INPUT_NOT_A_FILE', /a folder, not a regular file/);
    const bytes = readFileSync(segData('dcmqi/liver.dcm'));
    const truncated = join(folder, 'truncated.dcm');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectAxialError(readDicomSeg(truncated, ct), 'SEG_INVALID', /truncated\.dcm: cannot be read as DICOM \(DICOM_TRUNCATED\)/);
  });
});

describe.skipIf(!hasSharedData || !hasPydicomCt2)(`readDicomSeg of highdicom's SEG objects onto pydicom's CT2 series (${noSharedDataReason})`, () => {
  // CT2's four 16×16 slices lie at z = -99.48, 103.02, 104.27 and 105.52: Axial loads one volume
  // with a gap warning and a mean slice spacing of 68.33 mm, so only slices 0 and 3 are where their
  // files say. Frames on slices 1 and 2 are placed by the SOP Instance UID they reference.
  let ct2: Volume;
  beforeAll(async () => {
    const loaded = await loadOnly(pydicomCt2);
    ct2 = loaded.volume;
    expect(ct2.dimensions).toEqual([16, 16, 4]);
    // Slice 1 should lie at 103.02, the even grid puts it at -31.15: 134.17 mm away.
    expect(loaded.warnings).toEqual([
      'gap in the slices (usual spacing 1.250 mm): 202.50 mm after slice 1; ' +
        'the volume spaces them evenly (68.333 mm), placing slices up to 134.17 mm from their positions',
    ]);
  });
  const between = (count: number): string =>
    `${count} frame(s) lie between the volume's slices (as when irregularly spaced slices were loaded onto a regular grid); ` +
    `placed by the SOP Instance UID they reference`;

  it('places seg_image_ct_binary.dcm: 638 voxels on slices 1–3, as pydicom decodes them', async () => {
    const path = segData('highdicom/seg_image_ct_binary.dcm');
    const result = await readDicomSeg(path, ct2);
    expect(result.warnings).toContain(between(2));
    expect(result.seg.segments.map((s) => [s.label, s.layer, s.value])).toEqual([['first segment', 0, 1]]);
    expect(voxelsOf(result, result.seg.segments[0]!)).toHaveLength(127 + 256 + 255);
    expect(result.seg.layers[0]!.subarray(0, 256).every((v) => v === 0)).toBe(true);
    expectSegmentsAsPydicom(result, path, ct2);
  });

  it('places the two overlapping segments of seg_image_ct_binary_overlap.dcm in two layers, 64 and 16 voxels', async () => {
    const path = segData('highdicom/seg_image_ct_binary_overlap.dcm');
    const result = await readDicomSeg(path, ct2);
    expect(result.warnings).toContain(between(4));
    expect(result.seg.segments.map((s) => [s.label, s.layer, s.value])).toEqual([
      ['first segment', 0, 1],
      ['second segment', 1, 2],
    ]);
    const [first, second] = result.seg.segments.map((s) => voxelsOf(result, s));
    expect([first!.length, second!.length, intersection(first!, second!)]).toEqual([64, 16, 16]);
    expectSegmentsAsPydicom(result, path, ct2);
  });

  it('thresholds seg_image_ct_true_fractional.dcm at half of MaximumFractionalValue: 638 voxels', async () => {
    const path = segData('highdicom/seg_image_ct_true_fractional.dcm');
    const result = await readDicomSeg(path, ct2);
    expect(voxelsOf(result, result.seg.segments[0]!)).toHaveLength(638);
    expectSegmentsAsPydicom(result, path, ct2);
  });
});

describe.skipIf(process.platform === 'win32')('readDicomSeg of a FIFO', () => {
  it('refuses it at once with INPUT_NOT_A_FILE instead of waiting for a writer', async () => {
    const pipe = fifo.make(join(folder, 'pipe.dcm'));
    const grid = tinyVolume([2, 2, 2]);
    try {
      // Generous: a refusal takes milliseconds; a FIFO without a writer would never answer.
      const outcome = await within(
        readDicomSeg(pipe, grid).catch((error: unknown) => error),
        20_000,
      );
      expect(outcome).toMatchObject({ code: 'INPUT_NOT_A_FILE', message: expect.stringContaining('FIFO') });
    } finally {
      fifo.release(pipe);
    }
  });
});

describe('readDicomSeg of a file past 2 GiB', () => {
  it('refuses it by its size, before reading, with SEG_UNSUPPORTED: Axial writes none so large', async () => {
    const big = join(folder, 'big.seg.dcm');
    // Sparse: 2 GiB long, nothing on disk.
    const handle = openSync(big, 'w');
    ftruncateSync(handle, 2 ** 31);
    closeSync(handle);
    try {
      await expect(readDicomSeg(big, tinyVolume([2, 2, 2]))).rejects.toMatchObject({
        code: 'SEG_UNSUPPORTED',
        message: `${big}: the file is 2147483648 bytes, and Axial reads a SEG file of at most 2147483647 bytes (2 GiB)`,
      });
    } finally {
      rmSync(big);
    }
  });
});
