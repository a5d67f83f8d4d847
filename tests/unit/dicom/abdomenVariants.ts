import { join } from 'node:path';
import { runPythonJson } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { sharedData } from '../../sharedData.js';

/** What writeDecompressedAbdomen wrote. */
export interface DecompressedAbdomen {
  readonly files: number;
  readonly rows: number;
  readonly columns: number;
  /** ImagePositionPatient's z of each file, 00.dcm first. */
  readonly z: number[];
}

const decompress = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
from readDecompressedSeries import read_decompressed_series
source, out = sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
slices = read_decompressed_series(source)
for k, ds in enumerate(slices):
    ds.StudyInstanceUID = '1.2.826.0.1.3680043.8.498.99.1'
    ds.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.99.2'
    ds.FrameOfReferenceUID = '1.2.826.0.1.3680043.8.498.99.3'
    ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.99.4.%d' % (k + 1)
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = k + 1
    ds.save_as(os.path.join(out, '%02d.dcm' % k), write_like_original=False)
print(json.dumps({'files': len(slices), 'rows': int(slices[0].Rows), 'columns': int(slices[0].Columns),
                  'z': [float(ds.ImagePositionPatient[2]) for ds in slices]}))
`;

/**
 * Writes the real CT series ../shared/data/dicom/ct-abdomen-j2k (20 slices of 512×512, 2 mm apart,
 * 12-bit unsigned, intercept -1024) decompressed with gdcmconv into `folder`, one native file per
 * slice: 00.dcm lowest along the slice normal to 19.dcm, in one series with fixed UIDs. The variants
 * below are made from it, and it is the 3D volume they are checked against.
 */
export function writeDecompressedAbdomen(folder: string): DecompressedAbdomen {
  return runPythonJson<DecompressedAbdomen>(decompress, [join(repoRoot, 'tests', 'fixtures'), sharedData('dicom/ct-abdomen-j2k'), folder]);
}

const preamble = `
import copy, glob, json, os, random, sys
import numpy as np, pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian
raw, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
slices = [pydicom.dcmread(f) for f in sorted(glob.glob(os.path.join(raw, '*.dcm')))]
def item(**values):
    ds = Dataset()
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    return ds
def save(ds, path):
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(path, write_like_original=False)
`;

/**
 * Runs a Python snippet (Debian's python3, pydicom, numpy) that writes a variant of the decompressed
 * abdomen under `out`. The snippet sees `slices` (the 20 pydicom data sets, 00.dcm first), `raw`,
 * `out`, `item(**keywords)` (a sequence item) and `save(ds, path)` (Explicit VR Little Endian, file
 * meta from the data set); it must print one JSON line last, which is returned.
 */
export function runAbdomenVariant<T>(decompressed: string, out: string, body: string): T {
  return runPythonJson<T>(`${preamble}\n${body}`, [decompressed, out]);
}
