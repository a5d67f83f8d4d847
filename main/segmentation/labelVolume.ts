import type { LabelArray } from '../../core/labels/LabelArray.js';
import { createVolume, type Volume } from '../volume/Volume.js';

/** A model's labels as a volume on the scan's own grid: the scan's geometry and metadata, no units or window presets, named after the model. */
export function labelVolume(scan: Volume, voxels: LabelArray, modelName: string): Volume {
  return createVolume({
    ...scan,
    voxels,
    metadata: { ...scan.metadata, units: undefined, windowPresets: [], seriesDescription: `${modelName} labels` },
  });
}
