import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInput, type ScannedSeries } from '../../../main/input/scanInput.js';
import { segmentCodesFor } from '../../../main/dicomSeg/segmentCodes.js';
import type { SegSegment } from '../../../main/dicomSeg/SegSegment.js';
import { totalSegmentatorLabels } from '../../../main/dicomSeg/totalSegmentatorLabels.js';
import { writeDicomSeg, type WriteDicomSegResult } from '../../../main/dicomSeg/writeDicomSeg.js';
import { countLabels } from '../../../main/labels/countLabels.js';
import { labelColour } from '../../../core/labels/labelColour.js';
import { openLabelMap } from '../../../main/labels/openLabelMap.js';
import type { Volume } from '../../../main/volume/Volume.js';
import type { LabelArray } from '../../../core/labels/LabelArray.js';
import { expectAxialError } from '../../expectAxialError.js';
import { debianPython, runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { repoRoot } from '../../repoRoot.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-writeDicomSeg-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ctFolder = sharedData('dicom/ct-abdomen-j2k');
const totalsegLabels = sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz');

/** dciodvfy's findings; null when dicom3tools is not installed. */
function dciodvfy(path: string): { errors: string[]; warnings: string[] } | null {
  const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  if (run.error) return null;
  const lines = `${run.stdout}\n${run.stderr}`.split('\n');
  return { errors: lines.filter((l) => l.startsWith('Error')), warnings: lines.filter((l) => l.startsWith('Warning')) };
}

function expectValidIod(path: string): string[] {
  const found = dciodvfy(path);
  if (!found) {
    console.warn('dciodvfy is not installed: skipping the IOD check');
    return [];
  }
  expect(found.errors, `dciodvfy errors (warnings: ${found.warnings.join(' | ')})`).toEqual([]);
  return found.warnings;
}

async function loadSeries(path: string): Promise<{ series: ScannedSeries; volume: Volume }> {
  const scan = await scanInput(path);
  expect(scan.series).toHaveLength(1);
  const series = scan.series[0]!;
  return { series, volume: (await series.load()).volume };
}

/** One AUTOMATIC segment per TotalSegmentator label present. */
function totalsegSegments(labels: LabelArray): SegSegment[] {
  const segments: SegSegment[] = [];
  countLabels(labels).forEach((count, value) => {
    if (value === 0 || count === 0) return;
    const label = totalSegmentatorLabels.get(value)!;
    segments.push({
      layer: 0,
      value,
      label,
      algorithmType: 'AUTOMATIC',
      algorithmName: 'TotalSegmentator',
      ...segmentCodesFor(label),
      colour: labelColour(value),
    });
  });
  return segments;
}

interface PydicomCheck {
  frames: number;
  perFrameGroups: number;
  rows: number;
  columns: number;
  pixelMismatches: number;
  ippMaxErrorMm: number;
  expectedPairs: number;
  missingPairs: number;
  extraPairs: number;
  repeatedPairs: number;
  orderedBySegmentThenSlice: boolean;
  presentValues: number[];
  referencedInstances: number;
  referencesAllSources: boolean;
  header: Record<string, string>;
  segments: { number: number; label: string; algorithmType: string; algorithmName: string | null; category: string[]; type: string[]; lab: number[] }[];
}

/**
 * Reads the SEG with pydicom and checks every frame against the sources (read with pydicom)
 * and the label map (read with nibabel), mapping each frame pixel through the source's
 * ImagePositionPatient/Orientation/PixelSpacing to LPS, then RAS, then the NIfTI's voxel
 * index: nothing from Axial's own geometry.
 */
const checkScript = `
import sys, json, glob, os, pydicom, numpy as np, nibabel as nib
seg = pydicom.dcmread(sys.argv[1])
sources = {}
for f in sorted(glob.glob(os.path.join(sys.argv[2], '*'))):
    d = pydicom.dcmread(f, stop_before_pixels=True)
    sources[str(d.SOPInstanceUID or d.file_meta.MediaStorageSOPInstanceUID)] = d
img = nib.load(sys.argv[3])
labels = np.asarray(img.dataobj).astype(np.int64)
inverse = np.linalg.inv(img.affine)
value_of = {int(n): int(v) for n, v in json.loads(sys.argv[4])}
def floats(v): return np.array([float(x) for x in v])
def label_slice(d):
    ipp, iop = floats(d.ImagePositionPatient), floats(d.ImageOrientationPatient)
    r, c = np.mgrid[0:int(d.Rows), 0:int(d.Columns)]
    lps = ipp + c[..., None] * float(d.PixelSpacing[1]) * iop[:3] + r[..., None] * float(d.PixelSpacing[0]) * iop[3:]
    ijk = np.rint((lps * [-1, -1, 1]) @ inverse[:3, :3].T + inverse[:3, 3]).astype(int)
    return labels[ijk[..., 0], ijk[..., 1], ijk[..., 2]]
slices = {uid: label_slice(d) for uid, d in sources.items()}
first = next(iter(sources.values()))
normal = np.cross(floats(first.ImageOrientationPatient)[:3], floats(first.ImageOrientationPatient)[3:])
count = int(seg.NumberOfFrames)
pixels = seg.pixel_array.reshape(count, int(seg.Rows), int(seg.Columns)).astype(bool)
mismatches, ipp_error, order, found = 0, 0.0, [], []
for f, group in enumerate(seg.PerFrameFunctionalGroupsSequence):
    number = int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
    uid = str(group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
    ipp = floats(group.PlanePositionSequence[0].ImagePositionPatient)
    ipp_error = max(ipp_error, float(np.abs(ipp - floats(sources[uid].ImagePositionPatient)).max()))
    mismatches += int((pixels[f] != (slices[uid] == value_of[number])).sum())
    order.append((number, float(ipp @ normal)))
    found.append((number, uid))
expected = {(n, uid) for n, v in value_of.items() for uid, s in slices.items() if (s == v).any()}
code = lambda s: [str(s[0].CodeValue), str(s[0].CodingSchemeDesignator), str(s[0].CodeMeaning)]
referenced = [str(i.ReferencedSOPInstanceUID) for s in seg.ReferencedSeriesSequence for i in s.ReferencedInstanceSequence]
keys = ['SOPClassUID', 'Modality', 'SegmentationType', 'BitsAllocated', 'BitsStored', 'HighBit', 'PhotometricInterpretation', 'ImageType',
        'Manufacturer', 'StudyInstanceUID', 'FrameOfReferenceUID', 'PatientID', 'PatientName', 'StudyDate', 'SeriesInstanceUID', 'SOPInstanceUID']
header = {k: str(seg.get(k, '')) for k in keys}
header['TransferSyntaxUID'] = str(seg.file_meta.TransferSyntaxUID)
header['sourceFrameOfReferenceUID'] = str(first.FrameOfReferenceUID)
print(json.dumps({
    'frames': count, 'perFrameGroups': len(seg.PerFrameFunctionalGroupsSequence), 'rows': int(seg.Rows), 'columns': int(seg.Columns),
    'pixelMismatches': mismatches, 'ippMaxErrorMm': ipp_error,
    'expectedPairs': len(expected), 'missingPairs': len(expected - set(found)), 'extraPairs': len(set(found) - expected),
    'repeatedPairs': len(found) - len(set(found)), 'orderedBySegmentThenSlice': order == sorted(order),
    'presentValues': sorted(int(v) for v in np.unique(labels) if v != 0),
    'referencedInstances': len(referenced), 'referencesAllSources': sorted(referenced) == sorted(sources),
    'header': header,
    'segments': [{'number': int(s.SegmentNumber), 'label': str(s.SegmentLabel), 'algorithmType': str(s.SegmentAlgorithmType),
                  'algorithmName': str(s.SegmentAlgorithmName) if 'SegmentAlgorithmName' in s else None,
                  'category': code(s.SegmentedPropertyCategoryCodeSequence), 'type': code(s.SegmentedPropertyTypeCodeSequence),
                  'lab': [int(x) for x in s.RecommendedDisplayCIELabValue]} for s in seg.SegmentSequence],
}))
`;

describe.skipIf(!hasSharedData)(`writeDicomSeg (${noSharedDataReason})`, () => {
  let series: ScannedSeries;
  let volume: Volume;
  let labels: LabelArray;
  let segments: SegSegment[];
  let result: WriteDicomSegResult;
  const output = join(folder, 'ct-abdomen.seg.dcm');

  beforeAll(async () => {
    ({ series, volume } = await loadSeries(ctFolder));
    labels = (await openLabelMap(totalsegLabels, volume)).labels;
    segments = totalsegSegments(labels);
    result = await writeDicomSeg({
      series,
      volume,
      seg: { layers: [labels], segments },
      outPath: output,
      seriesDescription: 'TotalSegmentator',
      inputs: [totalsegLabels],
    });
  });

  it('writes one segment per TotalSegmentator label present (31), and says which UIDs the de-identified source lacked', () => {
    expect(segments).toHaveLength(31);
    expect(result.segments).toBe(31);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/no StudyInstanceUID; the SEG uses 2\.25\.\d+/);
    expect(result.warnings[1]).toMatch(/no SeriesInstanceUID/);
  });

  it('is a valid Segmentation IOD for dciodvfy', () => {
    const warnings = expectValidIod(output);
    // The source has empty PatientID and StudyID (Type 2), which the SEG copies.
    expect(warnings).toEqual([
      'Warning - Missing attribute or value that would be needed to build DICOMDIR - Patient ID',
      'Warning - Missing attribute or value that would be needed to build DICOMDIR - Study ID',
    ]);
  });

  it("holds, for pydicom, exactly the label map's voxels: one frame per (segment, slice) with voxels, each at its source slice", () => {
    const pairs = segments.map((s, n) => [n + 1, s.value]);
    const check = runPythonJson<PydicomCheck>(checkScript, [output, ctFolder, totalsegLabels, JSON.stringify(pairs)]);
    expect(check.presentValues).toEqual(segments.map((s) => s.value));
    expect(check.frames).toBe(result.frames);
    expect(check.perFrameGroups).toBe(result.frames);
    expect(check.frames).toBe(check.expectedPairs);
    expect(check.frames).toBe(520);
    expect({ missing: check.missingPairs, extra: check.extraPairs, repeated: check.repeatedPairs }).toEqual({ missing: 0, extra: 0, repeated: 0 });
    expect(check.pixelMismatches).toBe(0);
    expect(check.ippMaxErrorMm).toBeLessThan(1e-3);
    expect(check.orderedBySegmentThenSlice).toBe(true);
    expect([check.rows, check.columns]).toEqual([512, 512]);
    expect(check.referencedInstances).toBe(20);
    expect(check.referencesAllSources).toBe(true);
    expect(check.header).toMatchObject({
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.66.4',
      TransferSyntaxUID: '1.2.840.10008.1.2.1',
      Modality: 'SEG',
      SegmentationType: 'BINARY',
      BitsAllocated: '1',
      BitsStored: '1',
      HighBit: '0',
      PhotometricInterpretation: 'MONOCHROME2',
      ImageType: "['DERIVED', 'PRIMARY']",
      Manufacturer: 'Axial',
      StudyDate: '20221208',
      FrameOfReferenceUID: check.header.sourceFrameOfReferenceUID,
    });
    expect(check.header.StudyInstanceUID).toMatch(/^2\.25\.\d+$/);
    expect(check.header.SeriesInstanceUID).not.toBe(check.header.SOPInstanceUID);

    const liver = check.segments.find((s) => s.label === 'liver')!;
    expect(liver).toEqual({
      number: segments.findIndex((s) => s.value === 5) + 1,
      label: 'liver',
      algorithmType: 'AUTOMATIC',
      algorithmName: 'TotalSegmentator',
      category: ['123037004', 'SCT', 'Anatomical Structure'],
      type: ['10200004', 'SCT', 'Liver'],
      // labelColour(5) = sRGB (54, 198, 226) in D50 Lab (dcmjs's Colors gives the same).
      lab: [48162, 24756, 26368],
    });
    expect(check.segments.map((s) => s.number)).toEqual(segments.map((_, n) => n + 1));
  });

  it('copies the patient, study and frame of reference of a source that has them', async () => {
    const source = await loadSeries(sharedData('dicom/seg/ct-3slice'));
    const nrrd = sharedData('dicom/seg/dcmqi/liver_seg.nrrd');
    const liver = (await openLabelMap(nrrd, source.volume)).labels;
    const out = join(folder, 'ct-3slice.seg.dcm');
    const written = await writeDicomSeg({
      ...source,
      seg: {
        layers: [liver],
        segments: [{ layer: 0, value: 1, label: 'Liver', algorithmType: 'MANUAL', ...segmentCodesFor('liver'), colour: [221, 130, 101] }],
      },
      outPath: out,
      inputs: [nrrd],
    });
    expect(written).toEqual({ frames: 3, segments: 1, warnings: [] });
    expectValidIod(out);
    const script = `
import sys, json, glob, pydicom
seg = pydicom.dcmread(sys.argv[1])
src = pydicom.dcmread(sorted(glob.glob(sys.argv[2] + '/*.dcm'))[0], stop_before_pixels=True)
keys = ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyInstanceUID', 'StudyDate', 'StudyTime', 'StudyID',
        'AccessionNumber', 'ReferringPhysicianName', 'FrameOfReferenceUID', 'PositionReferenceIndicator']
print(json.dumps({'seg': {k: str(seg.get(k, 'MISSING')) for k in keys}, 'source': {k: str(src.get(k, 'MISSING')) for k in keys},
                  'algorithmName': 'SegmentAlgorithmName' in seg.SegmentSequence[0], 'type': str(seg.SegmentSequence[0].SegmentAlgorithmType)}))`;
    const read = runPythonJson<{ seg: Record<string, string>; source: Record<string, string>; algorithmName: boolean; type: string }>(script, [
      out,
      sharedData('dicom/seg/ct-3slice'),
    ]);
    expect(read.seg).toEqual(read.source);
    expect(read.seg.StudyInstanceUID).toBe('1.2.392.200103.20080913.113635.0.2009.6.22.21.43.10.22941.1');
    expect(read.seg.PatientID).toBe('99000');
    expect({ type: read.type, hasAlgorithmName: read.algorithmName }).toEqual({ type: 'MANUAL', hasAlgorithmName: false });
  });

  it('references the frames of an enhanced multi-frame source by ReferencedFrameNumber', async () => {
    // The 20 slices as one Enhanced CT whose frames are stored shuffled (tests/fixtures/makeEnhancedCt.py).
    const enhanced = join(folder, 'enhanced-ct.dcm');
    execFileSync(debianPython, [join(repoRoot, 'tests', 'fixtures', 'makeEnhancedCt.py'), ctFolder, enhanced], { encoding: 'utf8' });
    const source = await loadSeries(enhanced);
    const out = join(folder, 'enhanced.seg.dcm');
    const placed = (await openLabelMap(totalsegLabels, source.volume)).labels;
    const written = await writeDicomSeg({ ...source, seg: { layers: [placed], segments }, outPath: out, inputs: [] });
    expect(written.frames).toBe(520);
    expectValidIod(out);
    const script = `
import sys, json, pydicom, numpy as np
seg, src = pydicom.dcmread(sys.argv[1]), pydicom.dcmread(sys.argv[2], stop_before_pixels=True)
error, uids, numbers = 0.0, set(), set()
for group in seg.PerFrameFunctionalGroupsSequence:
    image = group.DerivationImageSequence[0].SourceImageSequence[0]
    uids.add(str(image.ReferencedSOPInstanceUID))
    numbers.add(int(image.ReferencedFrameNumber))
    frame = src.PerFrameFunctionalGroupsSequence[int(image.ReferencedFrameNumber) - 1]
    a = np.array([float(v) for v in group.PlanePositionSequence[0].ImagePositionPatient])
    b = np.array([float(v) for v in frame.PlanePositionSequence[0].ImagePositionPatient])
    error = max(error, float(np.abs(a - b).max()))
print(json.dumps({'error': error, 'uids': sorted(uids), 'source': str(src.SOPInstanceUID), 'frameNumbers': sorted(numbers)}))`;
    const read = runPythonJson<{ error: number; uids: string[]; source: string; frameNumbers: number[] }>(script, [out, enhanced]);
    expect(read.uids).toEqual([read.source]);
    expect(read.frameNumbers).toEqual([...Array(20).keys()].map((f) => f + 1));
    expect(read.error).toBeLessThan(1e-3);
  }, 120_000);

  it('refuses a volume that was not read from DICOM, naming its file', async () => {
    const nifti = sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz');
    const other = await loadSeries(nifti);
    const layer = new Uint8Array(other.volume.voxels.length);
    layer[1000] = 5;
    const error = await expectAxialError(
      writeDicomSeg({ ...other, seg: { layers: [layer], segments: segments.slice(0, 1) }, outPath: join(folder, 'nifti.seg.dcm'), inputs: [] }),
      'SEG_NEEDS_DICOM_SOURCE',
      /ct-abdomen-j2k\.dcm2niix\.nii\.gz: .*NIFTI file/,
    );
    expect(error.file).toBe(nifti);
    expect(existsSync(join(folder, 'nifti.seg.dcm'))).toBe(false);
  });

  it('refuses labels with no voxel of any segment (SEG_EMPTY, naming the output)', async () => {
    const out = join(folder, 'empty.seg.dcm');
    const empty = new Uint8Array(labels.length);
    await expectAxialError(
      writeDicomSeg({ series, volume, seg: { layers: [empty], segments }, outPath: out, inputs: [] }),
      'SEG_EMPTY',
      /empty\.seg\.dcm: none of the 31 segments/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('never writes over a source file or another input', async () => {
    const target = series.files[3]!;
    const before = createHash('sha256').update(readFileSync(target)).digest('hex');
    await expectAxialError(writeDicomSeg({ series, volume, seg: { layers: [labels], segments }, outPath: target, inputs: [] }), 'OUTPUT_IS_INPUT');
    await expectAxialError(
      writeDicomSeg({ series, volume, seg: { layers: [labels], segments }, outPath: totalsegLabels, inputs: [totalsegLabels] }),
      'OUTPUT_IS_INPUT',
    );
    expect(createHash('sha256').update(readFileSync(target)).digest('hex')).toBe(before);
  });

  it("refuses source files that do not hold the volume's slices, and inconsistent segments", async () => {
    const others = await scanInput(sharedData('dicom/seg/ct-3slice'));
    await expectAxialError(
      writeDicomSeg({ series: others.series[0]!, volume, seg: { layers: [labels], segments }, outPath: join(folder, 'x.dcm'), inputs: [] }),
      'SEG_SOURCE_MISMATCH',
      /slice 1's source image .* is not among the series' 3 files/,
    );
    const twice = [segments[0]!, segments[0]!];
    await expectAxialError(
      writeDicomSeg({ series, volume, seg: { layers: [labels], segments: twice }, outPath: join(folder, 'x.dcm'), inputs: [] }),
      'SEG_INVALID',
      /same layer and value/,
    );
    const unnamed = [{ ...segments[0]!, algorithmName: undefined }];
    await expectAxialError(
      writeDicomSeg({ series, volume, seg: { layers: [labels], segments: unnamed }, outPath: join(folder, 'x.dcm'), inputs: [] }),
      'SEG_INVALID',
      /AUTOMATIC/,
    );
  });
});
