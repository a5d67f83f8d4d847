import { describe, expect, it } from 'vitest';
import type { DicomInstance } from '../../../main/dicom/DicomInstance.js';
import { groupIntoSeries } from '../../../main/dicom/groupIntoSeries.js';

interface Made {
  readonly z: number;
  readonly instanceNumber: number;
  readonly acquisitionNumber?: number;
  readonly temporalPosition?: number;
  readonly echoNumber?: number;
  readonly imageType?: readonly string[];
}

/** A header with only what grouping reads: one axial 64×64 frame at z mm, in series "1.2.3". */
function instance(made: Made, header: Partial<DicomInstance> = {}): DicomInstance {
  return {
    file: `z${made.z}-n${made.instanceNumber}`,
    seriesInstanceUid: '1.2.3',
    sopInstanceUid: '',
    pixelSpacing: [1, 1],
    instanceNumber: made.instanceNumber,
    acquisitionNumber: made.acquisitionNumber,
    echoNumber: made.echoNumber,
    ...(made.imageType && { imageType: made.imageType }),
    ...(made.temporalPosition !== undefined && { temporalPosition: made.temporalPosition }),
    pixelFormat: { columns: 64, rows: 64, bitsAllocated: 16, pixelRepresentation: 1 },
    frames: [{ position: [0, 0, made.z], orientation: [1, 0, 0, 0, 1, 0], slope: 1, intercept: 0 }],
    ...header,
  } as unknown as DicomInstance;
}

const zs = [0, 3, 6];

describe('groupIntoSeries: repeated positions', () => {
  it('splits 4 time points × 3 slices by TemporalPositionIdentifier (one AcquisitionNumber, instance numbers shuffled) and marks them one 4D series', () => {
    const order = [7, 2, 11, 4, 0, 9, 5, 1, 10, 3, 8, 6];
    const instances = [0, 1, 2, 3].flatMap((t) =>
      zs.map((z, k) => instance({ z, instanceNumber: order[t * 3 + k]!, acquisitionNumber: 1, temporalPosition: t + 1 })),
    );
    const groups = groupIntoSeries(instances);
    expect(groups).toHaveLength(4);
    expect(groups.map((g) => g.slices.map((s) => s.instance.temporalPosition))).toEqual([1, 2, 3, 4].map((t) => [t, t, t]));
    expect(groups.map((g) => g.timeSeries?.index)).toEqual([0, 1, 2, 3]);
    expect(new Set(groups.map((g) => g.timeSeries?.key)).size).toBe(1);
    expect(groups.every((g) => g.timeSeries?.count === 4)).toBe(true);
    expect(groups[2]!.splitReason).toBe('temporal position 3');
  });

  it('splits by acquisition where there is no temporal position, and by order of repetition where neither tells', () => {
    const byAcquisition = groupIntoSeries([1, 2].flatMap((a) => zs.map((z, k) => instance({ z, instanceNumber: 10 * a + k, acquisitionNumber: 3 - a }))));
    expect(byAcquisition.map((g) => [g.splitReason, g.timeSeries?.index, g.slices[0]!.instance.acquisitionNumber])).toEqual([
      ['acquisition 1', 0, 1],
      ['acquisition 2', 1, 2],
    ]);
    const byOrder = groupIntoSeries([0, 1, 2].flatMap((r) => zs.map((z, k) => instance({ z, instanceNumber: r * 3 + k + 1 }))));
    expect(byOrder.map((g) => [g.timeSeries?.index, g.slices.map((s) => s.instance.instanceNumber)])).toEqual([
      [0, [1, 2, 3]],
      [1, [4, 5, 6]],
      [2, [7, 8, 9]],
    ]);
  });

  it('keeps echoes apart and not as time points, and volumes whose positions differ are no time series', () => {
    const echoes = groupIntoSeries([1, 2].flatMap((e) => zs.map((z, k) => instance({ z, instanceNumber: e * 10 + k, echoNumber: e }))));
    expect(echoes.map((g) => [g.slices[0]!.instance.echoNumber, g.timeSeries])).toEqual([
      [1, undefined],
      [2, undefined],
    ]);
    // A second acquisition covering only two of the three positions: not the same grid.
    const partial = groupIntoSeries([
      ...zs.map((z, k) => instance({ z, instanceNumber: k + 1, acquisitionNumber: 1 })),
      ...zs.slice(0, 2).map((z, k) => instance({ z, instanceNumber: k + 4, acquisitionNumber: 2 })),
    ]);
    expect(partial.map((g) => [g.slices.length, g.timeSeries])).toEqual([
      [3, undefined],
      [2, undefined],
    ]);
  });

  it('keeps phase images apart from the magnitude images at the same positions, and not as time points (a field map)', () => {
    const kinds = [
      ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
      ['ORIGINAL', 'PRIMARY', 'P', 'ND'],
    ];
    const groups = groupIntoSeries(kinds.flatMap((imageType, n) => zs.map((z, k) => instance({ z, instanceNumber: n * 10 + k, imageType }))));
    expect(groups.map((g) => [g.slices.length, g.slices[0]!.instance.imageType![2], g.timeSeries])).toEqual([
      [3, 'M', undefined],
      [3, 'P', undefined],
    ]);
  });
});

describe('groupIntoSeries: what makes one series', () => {
  const slices = (header: Partial<DicomInstance>, first = 0): DicomInstance[] => zs.map((z, k) => instance({ z: z + first, instanceNumber: k + 1 }, header));

  it('keeps apart de-identified series with no SeriesInstanceUID, by their other facts, not as time points', () => {
    // Two series of one study, 1 mm apart; two patients at the same positions (dcm2niix writes each apart).
    const anonymous = { seriesInstanceUid: '', studyInstanceUid: '', frameOfReferenceUid: '', patientId: '' };
    const interleaved = groupIntoSeries([
      ...slices({ ...anonymous, seriesNumber: 2, seriesDescription: 'CT Body 3.0' }),
      ...slices({ ...anonymous, seriesNumber: 99, seriesDescription: 'CT Bone' }, 1),
    ]);
    const told = 'no SeriesInstanceUID: told apart by study, frame of reference, patient and series number';
    expect(interleaved.map((g) => [g.slices.length, g.slices[0]!.instance.seriesNumber, g.splitReason])).toEqual([
      [3, 2, told],
      [3, 99, told],
    ]);
    // A description blanked in some files by a de-identification does not split a series.
    expect(groupIntoSeries([...slices({ ...anonymous, seriesDescription: 'T1' }), ...slices({ ...anonymous, seriesDescription: '' }, 9)]).length).toBe(1);
    const patients = groupIntoSeries([...slices({ ...anonymous, patientId: 'A' }), ...slices({ ...anonymous, patientId: 'B' })]);
    expect(patients.map((g) => [g.slices.length, g.timeSeries])).toEqual([
      [3, undefined],
      [3, undefined],
    ]);
    // One series' slices without the UID stay one volume.
    expect(groupIntoSeries(slices(anonymous)).map((g) => g.slices.length)).toEqual([3]);
  });

  it('splits off slices of another pixel spacing (a scout, a reformat) instead of sizing the volume by the first file', () => {
    const groups = groupIntoSeries([...slices({}), instance({ z: 9, instanceNumber: 4 }, { pixelSpacing: [0.7, 0.7] })]);
    expect(groups.map((g) => [g.slices.length, g.slices[0]!.instance.pixelSpacing[0]])).toEqual([
      [3, 1],
      [1, 0.7],
    ]);
    expect(groups[0]!.splitReason).toMatch(/pixel spacing 1\.0000\\1\.0000/);
    // 200/256 mm written by one slice as 0.78124999999999 (rounding to 0.7812, the rest to 0.7813) is the same spacing.
    const tie = groupIntoSeries([
      ...slices({ pixelSpacing: [0.78125, 0.78125] }),
      instance({ z: 9, instanceNumber: 4 }, { pixelSpacing: [0.78124999999999, 0.78125] }),
    ]);
    expect(tie.map((g) => g.slices.length)).toEqual([4]);
  });

  it('leaves out a file repeating an image already read (its SOPInstanceUID) and counts it; files with no UID are all kept', () => {
    const uids = zs.map((_, k) => ({ sopInstanceUid: `1.2.3.${k}` }));
    const copied = groupIntoSeries([...zs.map((z, k) => instance({ z, instanceNumber: k + 1 }, uids[k])), instance({ z: 3, instanceNumber: 2 }, uids[1])]);
    expect(copied.map((g) => [g.slices.length, g.duplicates, g.splitReason])).toEqual([[3, 1, undefined]]);
    // A file reusing a UID at another position is no copy: it stays a slice of the volume.
    const reused = groupIntoSeries([...zs.map((z, k) => instance({ z, instanceNumber: k + 1 }, uids[k])), instance({ z: 9, instanceNumber: 4 }, uids[1])]);
    expect(reused.map((g) => [g.slices.length, g.duplicates])).toEqual([[4, undefined]]);
    // Without UIDs a repeated position is a second volume, as before.
    expect(groupIntoSeries([...slices({}), instance({ z: 3, instanceNumber: 4 })]).map((g) => g.slices.length)).toEqual([3, 1]);
  });
});
