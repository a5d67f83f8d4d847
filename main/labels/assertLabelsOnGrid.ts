import { AxialError } from '../errors/AxialError.js';
import type { PlainVolume } from '../segmentation/process/inferenceMessages.js';
import type { Volume } from '../volume/Volume.js';

/**
 * Asserts the model's labels lie on the volume's grid, as the inference process promises.
 * @throws AxialError SEGMENTATION_GRID_MISMATCH naming both sizes.
 */
export function assertLabelsOnGrid(labels: PlainVolume, volume: Volume): void {
  if (labels.dimensions.some((n, axis) => n !== volume.dimensions[axis])) {
    throw new AxialError('SEGMENTATION_GRID_MISMATCH', `the model's labels are ${labels.dimensions.join('×')}, the volume ${volume.dimensions.join('×')}`);
  }
}
