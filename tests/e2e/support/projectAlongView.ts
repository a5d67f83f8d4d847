import { runPythonJson } from '../../python.js';

/** A view straight along an axis: LPS unit vectors, the canvas, and how it is framed. */
export interface AxisView {
  readonly right: readonly [number, number, number];
  readonly up: readonly [number, number, number];
  readonly forward: readonly [number, number, number];
  readonly width: number;
  readonly height: number;
  /** null: as the 3D view frames zoom 1, the grid's longest side + 5 % across the canvas's shorter side. */
  readonly mmPerPixel: number | null;
  /** LPS world point at the canvas's centre; null: the middle of the grid's voxel centres. */
  readonly centre: readonly [number, number, number] | null;
}

export interface Projection {
  readonly width: number;
  readonly height: number;
  /** Per canvas pixel (top row first): the largest value along its ray (or −Infinity off the volume). */
  readonly max: Float32Array;
  /** Per canvas pixel: the first non-zero value along its ray from the viewer's side (0 when none). */
  readonly first: Float32Array;
  /** The framing used. */
  readonly centre: [number, number, number];
  readonly mmPerPixel: number;
}

/**
 * Projects a NIfTI volume (nibabel, numpy) onto a view looking straight
 * along one of its index axes: for each canvas pixel, the voxel column its
 * ray crosses (nearest in the plane), reduced to its maximum and to its
 * first non-zero value from the viewer's side. An independent account of
 * what the 3D view should show, from the volume's own affine.
 * @throws Error when the view is not along an index axis.
 */
export function projectAlongView(path: string, view: AxisView): Projection {
  const result = runPythonJson<{ max: string; first: string; centre: [number, number, number]; mmPerPixel: number }>(script, [path, JSON.stringify(view)]);
  const floats = (b64: string): Float32Array => {
    const bytes = Buffer.from(b64, 'base64');
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  };
  return { width: view.width, height: view.height, max: floats(result.max), first: floats(result.first), centre: result.centre, mmPerPixel: result.mmPerPixel };
}

const script = String.raw`
import sys, json, base64
import numpy as np, nibabel as nib
img = nib.load(sys.argv[1])
view = json.loads(sys.argv[2])
data = np.asarray(img.dataobj).astype(np.float32)
A = img.affine.copy()
A[:2] *= -1  # RAS -> LPS
shape = np.array(data.shape[:3])
centre = A[:3, :3] @ ((shape - 1) / 2) + A[:3, 3]
longest = float(max(shape * np.linalg.norm(A[:3, :3], axis=0)))
forward = np.array(view['forward'], float)
cosines = (A[:3, :3].T @ forward) / np.linalg.norm(A[:3, :3], axis=0)
axis = int(np.argmax(np.abs(cosines)))
if abs(abs(cosines[axis]) - 1) > 1e-6:
    raise SystemExit('the view is not along an index axis')
towards_higher = cosines[axis] > 0
mx = data.max(axis=axis)
nonzero = data != 0
ordered = nonzero if towards_higher else np.flip(nonzero, axis=axis)
hit = ordered.argmax(axis=axis)
any_hit = ordered.any(axis=axis)
if not towards_higher:
    hit = data.shape[axis] - 1 - hit
first = np.take_along_axis(data, np.expand_dims(hit, axis), axis=axis).squeeze(axis)
first = np.where(any_hit, first, 0)
W, H = view['width'], view['height']
s = view['mmPerPixel'] if view['mmPerPixel'] is not None else 1.05 * longest / min(W, H)
if view['centre'] is not None:
    centre = np.array(view['centre'], float)
cols = (np.arange(W) + 0.5 - W / 2) * s
rows = (H / 2 - (np.arange(H) + 0.5)) * s
right, up = np.array(view['right'], float), np.array(view['up'], float)
points = centre + cols[None, :, None] * right + rows[:, None, None] * up
index = np.einsum('ij,hwj->hwi', np.linalg.inv(A[:3, :3]), points - A[:3, 3])
others = [a for a in range(3) if a != axis]
p = np.rint(index[..., others[0]]).astype(int)
q = np.rint(index[..., others[1]]).astype(int)
inside = (p >= 0) & (p < data.shape[others[0]]) & (q >= 0) & (q < data.shape[others[1]])
pc, qc = np.clip(p, 0, data.shape[others[0]] - 1), np.clip(q, 0, data.shape[others[1]] - 1)
out_max = np.where(inside, mx[pc, qc], -np.inf).astype(np.float32)
out_first = np.where(inside, first[pc, qc], 0).astype(np.float32)
print(json.dumps({'max': base64.b64encode(out_max.tobytes()).decode(), 'first': base64.b64encode(out_first.tobytes()).decode(),
                  'centre': centre.tolist(), 'mmPerPixel': s}))
`;
