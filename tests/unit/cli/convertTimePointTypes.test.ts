import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/CliIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { valueRange } from '../../../main/volume/valueRange.js';
import { runPythonJson } from '../../python.js';

const pydicomCt = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';
const folder = mkdtempSync(join(tmpdir(), 'axial-time-point-types-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * A 4D CT series from pydicom's CT_small: 3 time points (TemporalPositionIdentifier 1-3) of 3 slices,
 * unsigned, intercept -1024, stored = CT_small's pixel + 10 t + k. Mode `u16`: BitsStored 16 and one
 * voxel of 60000 in time point 1 (58976 HU: that time point alone needs int32, the others int16).
 * Mode `frac`: BitsStored 12 and RescaleSlope 0.5 in time point 2 only (float32 against int16).
 */
const makeSeries = `
import sys, numpy as np, pydicom
from pydicom.uid import generate_uid
src, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
series = generate_uid()
pixels = pydicom.dcmread(src).pixel_array.astype(np.int64)
for t in range(3):
    for k in range(3):
        ds = pydicom.dcmread(src)
        ds.SeriesInstanceUID = series
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = 3 * t + k + 1
        ds.TemporalPositionIdentifier = t + 1
        ds.NumberOfTemporalPositions = 3
        ds.ImagePositionPatient = [0, 0, float(k)]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        bits = 16 if mode == 'u16' else 12
        ds.PixelRepresentation = 0
        ds.BitsStored = bits
        ds.HighBit = bits - 1
        ds.RescaleSlope = '0.5' if mode == 'frac' and t == 2 else '1'
        ds.RescaleIntercept = '-1024'
        stored = pixels + 10 * t + k
        if mode == 'u16' and t == 1 and k == 1:
            stored[0, 0] = 60000
        ds.PixelData = stored.astype('<u2').tobytes()
        ds.save_as(f'{out}/t{t}_{k}.dcm')
print('{}')
`;

/** The NIfTI's stored voxels against pydicom's pixel_array × slope + intercept (numpy, float64) of every file. */
const compare = `
import glob, json, sys
import nibabel as nib, numpy as np, pydicom
image = nib.load(sys.argv[1])
a = np.asanyarray(image.dataobj)
ref = np.zeros(a.shape)
for path in glob.glob(sys.argv[2] + '/*.dcm'):
    ds = pydicom.dcmread(path)
    t, k = int(ds.TemporalPositionIdentifier) - 1, int(round(float(ds.ImagePositionPatient[2])))
    ref[:, :, k, t] = (ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)).T
print(json.dumps({'dtype': str(a.dtype), 'shape': list(a.shape), 'scaling': [float(image.dataobj.slope), float(image.dataobj.inter)],
  'min': float(a.min()), 'max': float(a.max()), 'refMin': float(ref.min()), 'refMax': float(ref.max()),
  'differing': int((a.astype(np.float64) != ref).sum())}))
`;

interface Compared {
  dtype: string;
  shape: number[];
  scaling: number[];
  min: number;
  max: number;
  refMin: number;
  refMax: number;
  differing: number;
}

function quietIo(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line) };
}

interface Converted {
  compared: Compared;
  lines: string[];
  /** Each time point as loaded alone (as the viewer loads it): its type and value range. */
  timePoints: { dataType: string; range: [number, number] }[];
}

async function convert(mode: 'u16' | 'frac'): Promise<Converted> {
  const input = join(folder, mode);
  mkdirSync(input);
  runPythonJson(makeSeries, [pydicomCt, input, mode]);
  const output = join(folder, `${mode}.nii.gz`);
  const io = quietIo();
  expect(await runCli(['convert', input, output, '--threads', '1'], io), io.lines.join('\n')).toBe(0);
  const [series] = (await scanInput(input, { threads: 1 })).series;
  const timePoints = [];
  for (let t = 0; t < (series?.timePoints ?? 0); t++) {
    const { volume } = await series!.load(t);
    timePoints.push({ dataType: volume.dataType, range: valueRange(volume) });
  }
  return { compared: runPythonJson<Compared>(compare, [output, input]), lines: io.lines, timePoints };
}

describe.skipIf(!existsSync(pydicomCt))('axial convert of a 4D series whose time points need different voxel types', () => {
  it('writes int32 for all time points when one holds 58976 HU (int16, int32, int16 alone), every voxel as pydicom’s', async () => {
    const { compared, lines, timePoints } = await convert('u16');
    expect(timePoints).toEqual([
      { dataType: 'int16', range: [-896, 1169] },
      { dataType: 'int32', range: [-886, 58976] },
      { dataType: 'int16', range: [-876, 1189] },
    ]);
    expect(lines.at(-1)).toContain('128×128×3×3 int32');
    expect(compared).toMatchObject({
      scaling: [1, 0],
      dtype: 'int32',
      shape: [128, 128, 3, 3],
      min: 128 - 1024,
      max: 58976,
      refMin: 128 - 1024,
      refMax: 58976,
      differing: 0,
    });
  }, 60_000);

  it('writes float32 for all time points when one has RescaleSlope 0.5 (float32 against int16), every voxel as pydicom’s', async () => {
    const { compared, lines, timePoints } = await convert('frac');
    expect(timePoints).toEqual([
      { dataType: 'int16', range: [-896, 1169] },
      { dataType: 'int16', range: [-886, 1179] },
      { dataType: 'float32', range: [-950, 82.5] },
    ]);
    expect(lines.at(-1)).toContain('128×128×3×3 float32');
    // Time point 2: (128 + 20) × 0.5 - 1024 = -950 at the least; time point 1's 2191 + 10 + 2 - 1024 = 1179 at the most.
    expect(compared).toMatchObject({
      scaling: [1, 0],
      dtype: 'float32',
      shape: [128, 128, 3, 3],
      min: -950,
      max: 1179,
      refMin: -950,
      refMax: 1179,
      differing: 0,
    });
  }, 60_000);
});
