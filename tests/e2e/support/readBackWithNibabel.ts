import { runPythonJson } from '../../python.js';

/** What nibabel makes of an exported label map, beside a reference map of the same anatomy. */
export interface NibabelReadBack {
  readonly shape: number[];
  readonly dtype: string;
  readonly intent: string;
  /** The file's voxel-to-RAS affine (sform, or qform when no sform). */
  readonly affine: number[][];
  readonly axcodes: string;
  /** Both maps turned to the closest canonical (RAS) order: largest affine difference and voxels that differ. */
  readonly canonicalAffineDiff: number;
  readonly mismatches: number;
  /** Voxel count per label value, as "value": count. */
  readonly counts: Record<string, number>;
}

const script = `
import json, sys
import nibabel as nib, numpy as np
out, ref = nib.load(sys.argv[1]), nib.load(sys.argv[2])
a, b = nib.as_closest_canonical(out), nib.as_closest_canonical(ref)
da, db = np.asarray(a.dataobj), np.asarray(b.dataobj)
values, counts = np.unique(np.asarray(out.dataobj), return_counts=True)
same_shape = da.shape == db.shape
print(json.dumps({
  'shape': list(out.shape), 'dtype': str(out.get_data_dtype()), 'intent': out.header.get_intent()[0],
  'affine': out.affine.tolist(), 'axcodes': ''.join(nib.aff2axcodes(out.affine)),
  'canonicalAffineDiff': float(np.abs(a.affine - b.affine).max()),
  'mismatches': int((da != db).sum()) if same_shape else -1,
  'counts': {str(int(v)): int(c) for v, c in zip(values, counts)},
}))
`;

/**
 * Reads an exported label map with Debian's nibabel (not Axial's reader) and
 * compares it, voxel by voxel in RAS order, with `referencePath`.
 */
export function readBackWithNibabel(exportedPath: string, referencePath: string): NibabelReadBack {
  return runPythonJson<NibabelReadBack>(script, [exportedPath, referencePath]);
}
