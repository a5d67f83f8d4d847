import { runPythonJson } from '../../python.js';
import { ctSeriesPath } from './referenceData.js';

/** The tilted series' geometry as pydicom reads it back from the written files. */
export interface TiltedCt {
  /** Every slice's ImagePositionPatient (LPS mm), in ascending z. */
  readonly positions: [number, number, number][];
  readonly orientation: number[];
  /** [row spacing, column spacing], DICOM's order. */
  readonly pixelSpacing: [number, number];
  readonly sliceThickness: number;
  readonly tiltDegrees: number;
}

/**
 * The real 20-slice CT again as a gantry-tilted series: each slice's ImagePositionPatient moved along y by
 * z·tan(tilt) (orientation, pixels and compressed bytes unchanged), GantryDetectorTilt set, so that the
 * slices step along a direction leaning `tilt` from their normal, as a scanner tilted for a head CT writes.
 */
const tiltScript = `
import glob, json, math, os, sys
import pydicom
source, output, tilt = sys.argv[1], sys.argv[2], float(sys.argv[3])
for f in sorted(glob.glob(os.path.join(source, '*'))):
    ds = pydicom.dcmread(f)
    x, y, z = [float(v) for v in ds.ImagePositionPatient]
    ds.ImagePositionPatient = [x, round(y + z * math.tan(math.radians(tilt)), 6), z]
    ds.GantryDetectorTilt = tilt
    ds.save_as(os.path.join(output, os.path.basename(f)))
ds = sorted((pydicom.dcmread(f, stop_before_pixels=True) for f in glob.glob(os.path.join(output, '*'))), key=lambda d: float(d.ImagePositionPatient[2]))
print(json.dumps({'positions': [[float(v) for v in d.ImagePositionPatient] for d in ds], 'orientation': [float(v) for v in ds[0].ImageOrientationPatient],
                  'pixelSpacing': [float(v) for v in ds[0].PixelSpacing], 'sliceThickness': float(ds[0].SliceThickness), 'tiltDegrees': tilt}))
`;

/** Writes the tilted copy of the CT series into `folder` (Debian's python3 with pydicom); resolves with its geometry. */
export function writeTiltedCt(folder: string, tiltDegrees = 15): TiltedCt {
  return runPythonJson<TiltedCt>(tiltScript, [ctSeriesPath, folder, String(tiltDegrees)]);
}
