import { existsSync } from 'node:fs';
import { runPythonJson } from '../../python.js';
import { sharedData } from '../../sharedData.js';

/** Folder of the SEG fixtures under ../shared/data. */
export const segData = (relative: string): string => sharedData(`dicom/seg/${relative}`);

/**
 * The source images of highdicom's CT SEG test files: pydicom's own test series (four 16×16 CT
 * slices, the first 202.5 mm away from the other three), shipped with Debian's python3-pydicom.
 */
export const pydicomCt2 = '/usr/lib/python3/dist-packages/pydicom/data/test_files/dicomdirtests/77654033/CT2';
export const hasPydicomCt2 = existsSync(pydicomCt2);

/** One frame as pydicom reads it. */
export interface PydicomFrame {
  readonly segment: number | null;
  readonly source: string | null;
  readonly position: [number, number, number] | null;
  /** Flat indices (row × columns + column) of the non-zero pixels, after the FRACTIONAL threshold. */
  readonly nonzero: number[];
  /** The pixel values at those indices. */
  readonly values: number[];
}

const framesScript = `
import sys, json, pydicom, numpy as np
d = pydicom.dcmread(sys.argv[1])
count = int(d.NumberOfFrames)
pixels = d.pixel_array.reshape(count, -1).astype(np.int64)
if d.SegmentationType == 'FRACTIONAL':
    pixels = (2 * pixels >= int(d.MaximumFractionalValue)).astype(np.int64)
frames = []
for f, group in enumerate(d.PerFrameFunctionalGroupsSequence):
    segment = group.SegmentIdentificationSequence[0].ReferencedSegmentNumber if 'SegmentIdentificationSequence' in group else None
    source = None
    for derivation in group.get('DerivationImageSequence', []):
        for image in derivation.get('SourceImageSequence', []):
            source = source or str(image.ReferencedSOPInstanceUID)
    position = [float(v) for v in group.PlanePositionSequence[0].ImagePositionPatient] if 'PlanePositionSequence' in group else None
    nonzero = np.flatnonzero(pixels[f])
    frames.append({'segment': segment, 'source': source, 'position': position,
                   'nonzero': nonzero.tolist(), 'values': pixels[f][nonzero].tolist()})
print(json.dumps(frames))
`;

/** pydicom's decoding of every frame of a SEG file (pixel_array, thresholded at half the maximum for FRACTIONAL). */
export function pydicomFrames(path: string): PydicomFrame[] {
  return runPythonJson<PydicomFrame[]>(framesScript, [path]);
}

const voxelsScript = `
import sys, json, pydicom, numpy as np
d = pydicom.dcmread(sys.argv[1])
slices = {uid: k for k, uid in enumerate(json.loads(sys.argv[2]))}
count = int(d.NumberOfFrames)
size = int(d.Rows) * int(d.Columns)
pixels = d.pixel_array.reshape(count, -1).astype(np.int64)
if d.SegmentationType == 'FRACTIONAL':
    pixels = (2 * pixels >= int(d.MaximumFractionalValue)).astype(np.int64)
voxels = {}
for f, group in enumerate(d.PerFrameFunctionalGroupsSequence):
    segment = int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
    uid = str(group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
    voxels.setdefault(segment, set()).update((slices[uid] * size + np.flatnonzero(pixels[f])).tolist())
print(json.dumps({str(s): sorted(v) for s, v in voxels.items()}))
`;

/**
 * Per segment number, the sorted flat volume indices (i + columns·(j + rows·k)) pydicom puts it
 * on, each frame going to the slice k whose SOP Instance UID it references: an independent
 * placement by reference alone.
 */
export function pydicomSegmentVoxels(path: string, sliceUids: readonly string[]): Record<string, number[]> {
  return runPythonJson<Record<string, number[]>>(voxelsScript, [path, JSON.stringify(sliceUids)]);
}
