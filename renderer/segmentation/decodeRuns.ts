import type { LabelArray } from '../../core/labels/LabelArray.js';

/**
 * Writes run-length encoded values (uint32 triples: first voxel, voxel
 * count, value) into a layer.
 * @throws RangeError when a run reaches past the layer or its value does not fit the layer's type
 */
export function decodeRuns(runs: Uint32Array, layer: LabelArray): void {
  if (runs.length % 3 !== 0) throw new RangeError('runs must be whole (start, count, value) triples');
  const limit = layer instanceof Uint8Array ? 0xff : 0xffff;
  for (let r = 0; r < runs.length; r += 3) {
    const start = runs[r]!;
    const end = start + runs[r + 1]!;
    const value = runs[r + 2]!;
    if (end > layer.length) throw new RangeError(`run ${start}+${end - start} reaches past the layer's ${layer.length} voxels`);
    if (value > limit) throw new RangeError(`value ${value} does not fit a ${limit === 0xff ? 'uint8' : 'uint16'} layer`);
    layer.fill(value, start, end);
  }
}
