import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { secondsFromFirstTimePoint } from '../../../main/dicom/secondsFromFirstTimePoint.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { runPythonJson } from '../../python.js';

/**
 * 4D MR series written by pydicom (the review's mkdce.py and mkcine.py), 3 slices of 32×32 per time point:
 * - dce: 5 time points acquired at 0, 10, 20, 60 and 120 s (AcquisitionTime from 10:15:00), RepetitionTime 4.1 ms;
 * - cine: 4 cardiac phases at TriggerTime 0, 40, 80, 120 ms, one AcquisitionTime, RepetitionTime 3.2 ms;
 * - midnight: 3 time points at 23:59:55, 00:00:05, 00:00:15;
 * - perfusion: 3 triggered dynamics acquired 1 s apart, TriggerTime 400, 400.5, 401 ms (one delay, a scanner's jitter);
 * - untimed: 3 time points with one AcquisitionTime and RepetitionTime 800 ms (nothing dates them apart).
 */
const makeScript = `
import json, os, sys
import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage
root = sys.argv[1]
def hms(seconds):
    seconds %= 86400
    return '%02d%02d%02d.000000' % (seconds // 3600, seconds // 60 % 60, seconds % 60)
cases = {
    'dce': dict(tr='4.1', acquisition=[hms(36900 + s) for s in (0, 10, 20, 60, 120)]),
    'cine': dict(tr='3.2', trigger=[0, 40, 80, 120], acquisition=['101500.000000'] * 4),
    'midnight': dict(tr='800', acquisition=[hms(86395 + s) for s in (0, 10, 20)]),
    'perfusion': dict(tr='2.5', acquisition=[hms(36900 + s) for s in (0, 1, 2)], jitter=[400, 400.5, 401]),
    'untimed': dict(tr='800', acquisition=['101500.000000'] * 3),
}
for c, (folder, case) in enumerate(cases.items()):
    os.makedirs(os.path.join(root, folder))
    count = len(case['acquisition'])
    for t in range(count):
        for k in range(3):
            uid = '1.2.826.0.1.3680043.8.498.97.%d.%d.%d' % (c, t, k)
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID, meta.TransferSyntaxUID = MRImageStorage, uid, ExplicitVRLittleEndian
            ds = Dataset()
            ds.file_meta = meta
            ds.SOPClassUID, ds.SOPInstanceUID = MRImageStorage, uid
            ds.StudyInstanceUID = ds.FrameOfReferenceUID = '1.2.826.0.1.3680043.8.498.97.%d' % c
            ds.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.97.%d.1' % c
            ds.Modality, ds.PatientName, ds.PatientID, ds.SeriesNumber = 'MR', 'TIME^Test', '1', 1
            ds.InstanceNumber, ds.AcquisitionNumber, ds.RepetitionTime = k + 1, 1, case['tr']
            ds.AcquisitionTime = case['acquisition'][t]
            if 'trigger' in case:
                ds.TriggerTime = '%g' % case['trigger'][t]
            else:
                ds.TemporalPositionIdentifier, ds.NumberOfTemporalPositions = t + 1, count
            if 'jitter' in case:
                ds.TriggerTime = '%g' % case['jitter'][t]
            ds.ImagePositionPatient, ds.ImageOrientationPatient = [0, 0, 6.0 * k], [1, 0, 0, 0, 1, 0]
            ds.PixelSpacing, ds.SliceThickness = [1.5, 1.5], 6
            ds.Rows = ds.Columns = 32
            ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, 'MONOCHROME2'
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
            ds.PixelData = (np.arange(32 * 32, dtype='<u2').reshape(32, 32) + 100 * t).tobytes()
            ds.is_little_endian, ds.is_implicit_VR = True, False
            ds.save_as(os.path.join(root, folder, 't%d_%d.dcm' % (t, k)), write_like_original=False)
print('{}')
`;

describe("secondsFromFirstTimePoint: each DICOM time point's own seconds from the first", () => {
  const root = mkdtempSync(join(tmpdir(), 'axial-time-offsets-'));

  beforeAll(() => runPythonJson(makeScript, [root]), 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const entryOf = async (folder: string) => (await scanInput(join(root, folder), { threads: 1 })).series[0]!;

  it('dates uneven DCE sampling by each time point’s AcquisitionTime, not by one step (the median, 25 s, stays pixdim[4])', async () => {
    const entry = await entryOf('dce');
    expect([entry.timePoints, entry.timeOffsets]).toEqual([5, [0, 10, 20, 60, 120]]);
    expect(entry.repetitionTime).toBe(25);
  });

  it('dates cardiac phases by TriggerTime: 40 ms apart, never the 3.2 ms TR', async () => {
    const entry = await entryOf('cine');
    expect([entry.timePoints, entry.timeOffsets]).toEqual([4, [0, 0.04, 0.08, 0.12]]);
    expect(entry.repetitionTime).toBe(0.0032);
  });

  it('counts on across midnight', async () => {
    expect((await entryOf('midnight')).timeOffsets).toEqual([0, 10, 20]);
  });

  it('dates triggered dynamics a second apart by their acquisition, not by their trigger delay’s jitter', async () => {
    const entry = await entryOf('perfusion');
    expect([entry.timePoints, entry.timeOffsets]).toEqual([3, [0, 1, 2]]);
  });

  it('claims no offsets where nothing dates the time points apart (a TR is no time between volumes)', async () => {
    const entry = await entryOf('untimed');
    expect([entry.timePoints, entry.timeOffsets, entry.repetitionTime]).toEqual([3, undefined, 0.8]);
  });

  it('reads the volumes of a scan in order, and none for a single volume', async () => {
    const volumes = [...(await scanDicom(join(root, 'dce'))).series].sort((a, b) => a.timeSeries!.index - b.timeSeries!.index);
    expect(secondsFromFirstTimePoint(volumes)).toEqual([0, 10, 20, 60, 120]);
    expect(secondsFromFirstTimePoint(volumes.slice(0, 1))).toBeUndefined();
    // Acquired at 10:15:10, 10:15:20, then 10:15:00: a step back, no midnight (it read [0, 10, 86390]).
    expect(secondsFromFirstTimePoint([volumes[1]!, volumes[2]!, volumes[0]!])).toBeUndefined();
  });
});
