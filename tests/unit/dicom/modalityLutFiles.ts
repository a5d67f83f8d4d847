import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPythonJson } from '../../python.js';

/** pydicom's CT_small (128×128, signed 16-bit, pixels 128-2191): the slices' real pixels. */
export const pydicomCt = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';

/**
 * Series of 3 slices (z = k, stored = CT_small's pixel + k) whose values come from a Modality LUT
 * Sequence (0028,3000), and single files with a broken or full-size one. Modes:
 * - `unsigned`: 12-bit unsigned, no Rescale tags, LUT [4096, 0, 16] mapping v to 2v, type HU (the audit's mlut.py);
 * - `rle`: the same, RLE Lossless (decoded frame by frame, not read as native cells);
 * - `signed`: 16-bit signed, stored = pixel - 1000 + k, Rescale tags left in (the LUT wins, as in pydicom),
 *   descriptor written SS [1200, -500, 16], table i² mod 60000: values under -500 take entry 0, over 699 the last;
 * - `packed8`: LUT [256, 1000, 8] whose data holds one byte an entry (255 - i);
 * - `short`: one file whose descriptor claims 4096 entries over 100 bytes of data;
 * - `full`: one file whose descriptor's 0 entries means 65536 (table 65535 - i).
 */
export type LutMode = 'unsigned' | 'rle' | 'signed' | 'packed8' | 'short' | 'full';

const makeSeries = `
import sys, numpy as np, pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import generate_uid, RLELossless
src, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
series = generate_uid()
pixels = pydicom.dcmread(src).pixel_array.astype(np.int64)
for k in range(1 if mode in ('short', 'full') else 3):
    ds = pydicom.dcmread(src)
    ds.SeriesInstanceUID = series
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = k + 1
    ds.ImagePositionPatient = [0, 0, float(k)]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    item = Dataset()
    signed = mode == 'signed'
    if signed:
        ds.BitsStored, ds.HighBit = 16, 15
        stored = pixels - 1000 + k
        item.LUTDescriptor = [1200, -500, 16]
        item['LUTDescriptor'].VR = 'SS'
        table = (np.arange(1200) ** 2) % 60000
        item.ModalityLUTType = 'US'
    else:
        for keyword in ('RescaleSlope', 'RescaleIntercept', 'RescaleType'):
            if keyword in ds:
                delattr(ds, keyword)
        ds.PixelRepresentation, ds.BitsStored, ds.HighBit = 0, 12, 11
        stored = pixels + k
        entries = {'packed8': 256, 'full': 65536}.get(mode, 4096)
        item.LUTDescriptor = [entries % 65536, 1000 if mode == 'packed8' else 0, 8 if mode == 'packed8' else 16]
        table = {'packed8': 255 - np.arange(256), 'full': 65535 - np.arange(65536)}.get(mode, np.arange(4096) * 2)
        item.ModalityLUTType = 'HU'
    data = table.astype('u1' if mode == 'packed8' else '<u2').tobytes()
    item.LUTData = data[:100] if mode == 'short' else data
    item['LUTData'].VR = 'OW'
    ds.ModalityLUTSequence = Sequence([item])
    ds.PixelData = stored.astype('<i2' if signed else '<u2').tobytes()
    if mode == 'rle':
        ds.compress(RLELossless)
    ds.save_as(f'{out}/slice{k}.dcm')
print('{}')
`;

/**
 * The reference: each file's stored values through its LUT per PS3.3 C.11.1.1 in numpy, slices in z
 * order, written as int32 to `reference`; and whether pydicom's apply_modality_lut gives the same
 * (it cannot read `packed8`'s one byte an entry).
 */
const reference = `
import glob, json, sys
import numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut
folder, reference, mode = sys.argv[1], sys.argv[2], sys.argv[3]
slices = sorted((pydicom.dcmread(p) for p in glob.glob(folder + '/*.dcm')), key=lambda ds: float(ds.ImagePositionPatient[2]))
out, agrees = [], True
for ds in slices:
    item = ds.ModalityLUTSequence[0]
    entries, first, bits = item.LUTDescriptor
    table = np.frombuffer(item.LUTData, 'u1' if mode == 'packed8' else '<u2')[:entries or 65536].astype(np.int64)
    v = ds.pixel_array.astype(np.int64)
    mapped = table[np.clip(v - first, 0, len(table) - 1)]
    if mode != 'packed8':
        agrees = agrees and bool((apply_modality_lut(ds.pixel_array, ds).astype(np.int64) == mapped).all())
    out.append(mapped)
volume = np.stack(out).astype('<i4')
volume.tofile(reference)
print(json.dumps({'min': int(volume.min()), 'max': int(volume.max()), 'pydicomAgrees': agrees}))
`;

export interface LutReference {
  min: number;
  max: number;
  pydicomAgrees: boolean;
  /** Every voxel, in Axial's order (column fastest, then row, then slice along z). */
  voxels: Int32Array;
}

/** Writes the `mode` series under `root`/`mode` and returns its folder. */
export function makeLutSeries(root: string, mode: LutMode): string {
  const folder = join(root, mode);
  mkdirSync(folder);
  runPythonJson(makeSeries, [pydicomCt, folder, mode]);
  return folder;
}

/** numpy's (and pydicom's) mapped values of the series in `folder`. */
export function lutReference(folder: string, mode: LutMode): LutReference {
  const path = `${folder}.reference`;
  const result = runPythonJson<Omit<LutReference, 'voxels'>>(reference, [folder, path, mode]);
  return { ...result, voxels: new Int32Array(new Uint8Array(readFileSync(path)).buffer) };
}

/** How many voxels differ from the reference. */
export function countDifferent(voxels: ArrayLike<number>, expected: Int32Array): number {
  let differing = Math.abs(voxels.length - expected.length);
  for (let i = 0; i < Math.min(voxels.length, expected.length); i++) if (voxels[i] !== expected[i]) differing++;
  return differing;
}
