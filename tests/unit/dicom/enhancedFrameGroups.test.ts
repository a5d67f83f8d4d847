import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { scanInput } from '../../../main/input/scanInput.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { hasSharedData, noSharedDataReason } from '../../sharedData.js';
import { runAbdomenVariant, writeDecompressedAbdomen } from './abdomenVariants.js';

/**
 * Enhanced objects made from the real abdomen CT's 20 slices (the audit's mkenh.py and mkmr4d.py):
 * - ct-spacings.dcm: Enhanced CT whose frames carry their own PixelMeasuresSequence, frames 11-20 with
 *   PixelSpacing 0.5\0.5 (the others the series' 0.9765625), no shared one;
 * - mr-4d.dcm: Enhanced MR of 3 time points × 20 slices, stored value + 100 × t, in a shuffled frame order;
 *   each frame's FrameContentSequence gives TemporalPositionIndex t + 1, and the shared
 *   MRTimingAndRelatedParametersSequence RepetitionTime 2000 ms (dcm2niix: pixdim[4] 2.0).
 */
const makeFiles = `
def enhanced(sop_class, modality, frames, shared, per_frame):
    first = slices[0]
    ds = Dataset()
    for keyword in ('PatientName', 'PatientID', 'StudyInstanceUID', 'FrameOfReferenceUID', 'StudyDate'):
        setattr(ds, keyword, getattr(first, keyword))
    ds.SOPClassUID, ds.Modality = sop_class, modality
    ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.97.%d' % (len(os.listdir(out)) + 1)
    ds.SeriesInstanceUID = ds.SOPInstanceUID + '.1'
    ds.file_meta = FileMetaDataset()
    ds.ImageType = ['ORIGINAL', 'PRIMARY', 'AXIAL', 'NONE']
    ds.InstanceNumber = 1
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, 'MONOCHROME2'
    ds.Rows, ds.Columns = first.Rows, first.Columns
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.NumberOfFrames = len(frames)
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    ds.PerFrameFunctionalGroupsSequence = Sequence([per_frame(*frame) for frame in frames])
    ds.PixelData = np.concatenate([slices[k].pixel_array.ravel() + 100 * t for t, k in frames]).astype('<u2').tobytes()
    return ds

def plane(k):
    return Sequence([item(ImagePositionPatient=slices[k].ImagePositionPatient)])

shared = item(PlaneOrientationSequence=Sequence([item(ImageOrientationPatient=slices[0].ImageOrientationPatient)]))
def ct_frame(t, k):
    spacing = slices[0].PixelSpacing if k < 10 else [0.5, 0.5]
    return item(PlanePositionSequence=plane(k), PixelMeasuresSequence=Sequence([item(PixelSpacing=spacing, SliceThickness='3')]),
                PixelValueTransformationSequence=Sequence([item(RescaleSlope='1', RescaleIntercept='-1024', RescaleType='HU')]))
save(enhanced('1.2.840.10008.5.1.4.1.1.2.1', 'CT', [(0, k) for k in range(20)], shared, ct_frame), os.path.join(out, 'ct-spacings.dcm'))

order = [(t, k) for t in range(3) for k in range(20)]
order = [order[i] for i in np.random.default_rng(3).permutation(len(order))]
shared = item(PlaneOrientationSequence=Sequence([item(ImageOrientationPatient=slices[0].ImageOrientationPatient)]),
              PixelMeasuresSequence=Sequence([item(PixelSpacing=slices[0].PixelSpacing, SliceThickness='2', SpacingBetweenSlices='2')]),
              MRTimingAndRelatedParametersSequence=Sequence([item(RepetitionTime=2000.0, FlipAngle=90.0)]),
              PixelValueTransformationSequence=Sequence([item(RescaleSlope='1', RescaleIntercept='0', RescaleType='US')]))
def mr_frame(t, k):
    return item(PlanePositionSequence=plane(k),
                FrameContentSequence=Sequence([item(TemporalPositionIndex=t + 1, InStackPositionNumber=k + 1, StackID='1',
                                                    DimensionIndexValues=[1, k + 1, t + 1])]))
save(enhanced('1.2.840.10008.5.1.4.1.1.4.1', 'MR', order, shared, mr_frame), os.path.join(out, 'mr-4d.dcm'))
print(json.dumps({'mrOrder': order}))
`;

describe.skipIf(!hasSharedData)(`enhanced objects whose frames differ in their functional groups (${noSharedDataReason})`, () => {
  const root = mkdtempSync(join(tmpdir(), 'axial-enhanced-groups-'));
  const files = join(root, 'files');
  let series: Volume;
  let mrOrder: [number, number][];

  beforeAll(async () => {
    writeDecompressedAbdomen(join(root, 'series'));
    ({ mrOrder } = runAbdomenVariant<{ mrOrder: [number, number][] }>(join(root, 'series'), files, makeFiles));
    series = (await (await scanInput(join(root, 'series'), { threads: 1 })).series[0]!.load()).volume;
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('splits frames 11-20 (PixelSpacing 0.5 in their own PixelMeasuresSequence) from frames 1-10 (0.9766), each volume at its spacing', async () => {
    const scan = await scanDicom(join(files, 'ct-spacings.dcm'));
    expect(scan.series.map((s) => [s.slices.length, s.spacing.map((v) => Number(v.toFixed(7)))])).toEqual([
      [10, [0.9765625, 0.9765625, 2]],
      [10, [0.5, 0.5, 2]],
    ]);
    expect(scan.series.map((s) => s.slices.map((slice) => slice.frameIndex))).toEqual([[...Array(10).keys()], [...Array(10).keys()].map((k) => k + 10)]);
    expect(scan.series[1]!.warnings).toContainEqual(expect.stringMatching(/one of several volumes in this series \(split by .*pixel spacing 0\.5000\\0\.5000/));
    // Frame 11 lies 20 mm above frame 1: the second volume starts there.
    expect(scan.series[1]!.origin[2] - scan.series[0]!.origin[2]).toBeCloseTo(20, 6);
  });

  it('puts each shuffled frame in the time point its TemporalPositionIndex names, with TR 2 s from the shared MR timing group', async () => {
    expect(mrOrder.slice(0, 20).filter(([t]) => t === 0).length).toBeLessThan(20);
    const scan = await scanDicom(join(files, 'mr-4d.dcm'));
    expect(scan.series.map((s) => [s.timeSeries?.index, s.slices.length])).toEqual([
      [0, 20],
      [1, 20],
      [2, 20],
    ]);
    expect(scan.series.map((s) => [...new Set(s.slices.map((slice) => mrOrder[slice.frameIndex]![0]))])).toEqual([[0], [1], [2]]);
    expect(scan.series.map((s) => [...new Set(s.slices.map((slice) => slice.geometry.temporalPositionIndex))])).toEqual([[1], [2], [3]]);

    const [entry] = (await scanInput(join(files, 'mr-4d.dcm'), { threads: 1 })).series;
    expect([entry!.timePoints, entry!.repetitionTime]).toEqual([3, 2]);
    for (const t of [0, 1, 2]) {
      const { volume } = await entry!.load(t);
      // Stored 12-bit values + 100 t, intercept 0; the CT series has intercept -1024.
      let different = 0;
      for (let i = 0; i < volume.voxels.length; i++) if (volume.voxels[i] !== series.voxels[i]! + 1024 + 100 * t) different++;
      expect([t, different]).toEqual([t, 0]);
    }
  }, 60_000);
});
