import { RunBuilder } from './RunBuilder.js';

/**
 * Run-length encodes voxels and their values into uint32 triples (first
 * voxel, voxel count, value): consecutive voxel numbers with the same value
 * form one run.
 * @param voxels voxel numbers, ascending, each once
 * @param values value of each voxel (same length as voxels), or one value for all
 * @throws RangeError when the lengths differ
 */
export function encodeRuns(voxels: ArrayLike<number>, values: ArrayLike<number> | number): Uint32Array {
  const count = voxels.length;
  if (typeof values !== 'number' && values.length !== count) throw new RangeError(`${count} voxels but ${values.length} values`);
  const runs = new RunBuilder();
  for (let k = 0; k < count; k++) runs.push(voxels[k]!, typeof values === 'number' ? values : values[k]!);
  return runs.toRuns();
}
