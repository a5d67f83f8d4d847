import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Index3, PlaneSnapshot } from '../pages/pageShapes.js';
import { runPythonJson } from '../../python.js';

const script = `
import json, sys
import numpy as np
from scipy.ndimage import map_coordinates
path, dtype, shape, job, out_path = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5]
v = np.fromfile(path, dtype).reshape(shape[2], shape[1], shape[0]).astype(np.float64)
if job['kind'] == 'slab':
    reduce = {'mip': np.max, 'minip': np.min, 'mean': np.mean}[job['mode']]
    index = [slice(None)] * 3
    index[2 - job['axis']] = slice(job['from'], job['to'] + 1)
    out = reduce(v[tuple(index)], axis=2 - job['axis'])
else:
    r, c = np.meshgrid(np.arange(job['rows']), np.arange(job['columns']), indexing='ij')
    coords = [job['origin'][a] + c * job['column'][a] + r * job['row'][a] for a in range(3)]
    out = map_coordinates(v, [coords[2], coords[1], coords[0]], order=job['order'], mode='nearest')
np.asarray(out, '<f8').tofile(out_path)
print(json.dumps({'shape': list(out.shape)}))
`;

/** A volume's voxels written once to a raw file numpy reads ('<i2', '<u2' …), i fastest. */
export interface RawVolume {
  readonly path: string;
  readonly dtype: string;
  readonly dimensions: Index3;
}

/** Writes voxels as a raw little-endian file for numpy. */
export function writeRaw(dir: string, name: string, voxels: Int16Array | Uint16Array, dimensions: Index3): RawVolume {
  const path = join(dir, `${name}.raw`);
  writeFileSync(path, voxels);
  return { path, dtype: voxels instanceof Int16Array ? '<i2' : '<u2', dimensions };
}

function run(raw: RawVolume, job: Record<string, unknown>): Float64Array {
  const out = `${raw.path}.out`;
  runPythonJson(script, [raw.path, raw.dtype, JSON.stringify(raw.dimensions), JSON.stringify(job), out]);
  const bytes = readFileSync(out);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

/**
 * numpy's max, min or mean along index axis `axis` over [from, to]: a 2D
 * array of the other two axes, the lower index axis fastest.
 */
export function numpySlab(raw: RawVolume, axis: 0 | 1 | 2, from: number, to: number, mode: 'mip' | 'minip' | 'mean'): Float64Array {
  return run(raw, { kind: 'slab', axis, from, to, mode });
}

/** scipy's map_coordinates (order 1: trilinear, 0: nearest; mode 'nearest') at every pixel of a plane, row-major. */
export function scipyPlane(raw: RawVolume, plane: PlaneSnapshot, order: 0 | 1): Float64Array {
  return run(raw, { kind: 'plane', rows: plane.rows, columns: plane.columns, origin: plane.origin, column: plane.columnStep, row: plane.rowStep, order });
}
