import type { LabelDisplay } from '../display/labelDisplayOf.js';
import { cutPlane } from '../geometry/cutPlane.js';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';

/**
 * Cuts a slice of every label layer into `out` as display codes: the first
 * layer directly, each further one through `scratch`, its labelled pixels
 * drawn over the layers before it.
 */
export function cutLabelLayers(labels: LabelDisplay, axes: PlaneAxes, slice: number, out: NumericArray, scratch: Uint16Array): void {
  const { layers, layerBase } = labels;
  cutPlane(layers[0]!, axes, slice, out);
  const pixels = axes.rows * axes.columns;
  for (let layer = 1; layer < layers.length; layer++) {
    cutPlane(layers[layer]!, axes, slice, scratch);
    const base = layerBase[layer]!;
    for (let n = 0; n < pixels; n++) if (scratch[n] !== 0) out[n] = base + scratch[n]!;
  }
}
