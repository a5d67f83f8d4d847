import type { LabelDisplay } from '../display/labelDisplayOf.js';

/**
 * Writes the display codes of voxels [from, to) into `codes` (same
 * indexing): the first layer's values, then each later layer's labelled
 * voxels drawn over it as layerBase + value (as the 2D views draw them).
 * Returns whether any code changed, so only changed slices are sent to the
 * GPU again. `codesFrom` is the voxel index of codes[0] (0 when codes
 * covers the whole grid; the first voxel written when it holds only a part).
 */
export function writeLabelCodes(labels: LabelDisplay, codes: Uint8Array | Uint16Array, from: number, to: number, codesFrom = 0): boolean {
  const { layers, layerBase } = labels;
  const first = layers[0];
  let changed = false;
  for (let n = from; n < to; n++) {
    let code = first ? first[n]! : 0;
    for (let layer = 1; layer < layers.length; layer++) {
      const v = layers[layer]![n]!;
      if (v !== 0) code = layerBase[layer]! + v;
    }
    if (codes[n - codesFrom] !== code) {
      codes[n - codesFrom] = code;
      changed = true;
    }
  }
  return changed;
}
