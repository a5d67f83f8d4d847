import type { Measurement } from '../core/contract.js';
import { runPythonJson } from './python.js';
import { sharedData } from './sharedData.js';

export interface NumpyRoi {
  readonly voxels: number;
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Linear indices (i + 512·(j + 512·k)) in the series' slice order, ascending. */
  readonly indices: number[];
}

/**
 * The same ROI, from nothing of Axial's: the voxel grid from the DICOM
 * headers (pydicom: ImagePositionPatient, ImageOrientationPatient,
 * PixelSpacing, slices sorted along the normal), HU from dcm2niix's NIfTI
 * (nibabel, looked up by world position), and the mask from the shape's
 * definition: solve world − origin = col·C + row·R + off·N, keep
 * −½ ≤ off < ½ and (col, row) inside the ellipse (s² + t² ≤ 1) or the
 * polygon (even-odd crossings).
 */
const numpyRoi = `
import json, sys, glob
import numpy as np, pydicom, nibabel as nib
folder, nifti, shape = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
slices = [pydicom.dcmread(f, stop_before_pixels=True) for f in glob.glob(folder + '/*') if not f.endswith('.json')]
iop = np.array(slices[0].ImageOrientationPatient, dtype=float)
X, Y = iop[:3], iop[3:]
Z = np.cross(X, Y)
slices.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, dtype=float), Z)))
rows, cols = int(slices[0].Rows), int(slices[0].Columns)
dr, dc = (float(v) for v in slices[0].PixelSpacing)
img = nib.load(nifti)
data = img.get_fdata()
to_nifti = np.linalg.inv(img.affine)
plane = shape['plane']
P = np.column_stack([plane['column'], plane['row'], plane['normal']])
Pinv = np.linalg.inv(P)
o = np.array(plane['origin'])
pts = (Pinv @ (np.array(shape['points']).T - o[:, None]))[:2].T
jj, ii = np.meshgrid(np.arange(rows), np.arange(cols), indexing='ij')
values, indices = [], []
for k, d in enumerate(slices):
    ipp = np.array(d.ImagePositionPatient, dtype=float)
    world = ipp[None, None, :] + ii[..., None] * dc * X + jj[..., None] * dr * Y
    q = np.einsum('ab,ijb->ija', Pinv, world - o)
    col, row, off = q[..., 0], q[..., 1], q[..., 2]
    keep = (off >= -0.5) & (off < 0.5)
    if shape['kind'] == 'ellipse':
        c, u, v = pts[0], pts[1] - pts[0], pts[2] - pts[0]
        M = np.column_stack([u, v])
        st = np.einsum('ab,ijb->ija', np.linalg.inv(M), np.stack([col - c[0], row - c[1]], axis=-1))
        keep &= (st[..., 0] ** 2 + st[..., 1] ** 2) <= 1
    else:
        inside = np.zeros(col.shape, dtype=bool)
        n = len(pts)
        for a in range(n):
            (xa, ya), (xb, yb) = pts[a], pts[a - 1]
            with np.errstate(divide='ignore', invalid='ignore'):
                crosses = ((ya > row) != (yb > row)) & (col < (xb - xa) * (row - ya) / (yb - ya) + xa)
            inside ^= crosses
        keep &= inside
    sel_j, sel_i = np.nonzero(keep)
    for i, j in zip(sel_i, sel_j):
        w = world[j, i]
        ras = np.array([-w[0], -w[1], w[2], 1.0])
        idx = np.rint(to_nifti @ ras)[:3].astype(int)
        values.append(data[idx[0], idx[1], idx[2]])
        indices.append(int(i + cols * (j + rows * k)))
v = np.array(values)
order = np.argsort(indices)
print(json.dumps({'voxels': int(v.size), 'mean': float(v.mean()), 'sd': float(v.std()), 'min': float(v.min()), 'max': float(v.max()),
                  'indices': [indices[n] for n in order]}))
`;

/** numpy's statistics and voxel list of an ellipse or freehand ROI on ct-abdomen-j2k (see {@link numpyRoi}). */
export function numpyRoiStats(shape: Pick<Measurement, 'kind' | 'points' | 'plane'>): NumpyRoi {
  return runPythonJson<NumpyRoi>(numpyRoi, [sharedData('dicom/ct-abdomen-j2k'), sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz'), JSON.stringify(shape)]);
}
