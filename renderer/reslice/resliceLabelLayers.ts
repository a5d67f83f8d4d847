import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { ViewPlane } from '../geometry/ViewPlane.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { reslicePlane } from './reslicePlane.js';

/**
 * Resamples every label layer on a view plane into `out` as display codes,
 * nearest-neighbour (a label is never blended): the first layer directly,
 * each further one through `scratch`, its labelled pixels drawn over the
 * layers before it, as cutLabelLayers does for standard slices.
 */
export function resliceLabelLayers(labels: LabelDisplay, dimensions: Vec3, plane: ViewPlane, out: NumericArray, scratch: Uint16Array): void {
  const { layers, layerBase } = labels;
  const options = { interpolation: 'nearest', background: 0 } as const;
  reslicePlane({ voxels: layers[0]!, dimensions }, plane, options, out);
  const pixels = plane.rows * plane.columns;
  for (let layer = 1; layer < layers.length; layer++) {
    reslicePlane({ voxels: layers[layer]!, dimensions }, plane, options, scratch);
    const base = layerBase[layer]!;
    for (let n = 0; n < pixels; n++) if (scratch[n] !== 0) out[n] = base + scratch[n]!;
  }
}
