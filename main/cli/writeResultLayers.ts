import { writeNifti } from '../nifti/writeNifti.js';
import type { ResultLayer } from '../segmentation/process/inferenceMessages.js';
import { createVolume } from '../volume/Volume.js';
import { segmentStatistics, type LayerSummary } from './writeSegmentCase.js';
import { layerFilePaths } from './layerFilePaths.js';
import type { LayersOutput } from './parseLayersOutput.js';

/**
 * Writes a multi-label result's layers beside the label map (atomically, never over an input), as NIfTI label
 * maps on the same grid with the source's affine: one file per layer, or one 4D file.
 * @throws AxialError OUTPUT_IS_INPUT, OUTPUT_WRITE_FAILED, VOLUME_INVALID.
 */
export async function writeResultLayers(layers: readonly ResultLayer[], output: string, how: LayersOutput, inputs: readonly string[]): Promise<LayerSummary[]> {
  if (how === 'none' || layers.length === 0) return [];
  const volumes = layers.map((l) => createVolume(l.labels));
  const paths = layerFilePaths(
    layers.map((l) => l.name),
    output,
    how,
  );
  if (how === '4d') {
    await writeNifti(volumes[0]!, paths[0]!, { inputs, intent: 'label', laterTimePoints: volumes.slice(1).map((v) => v.voxels) });
    return layers.map((l, t) => ({ name: l.name, output: paths[0]!, volume: t, statistics: segmentStatistics(volumes[t]!, l.segments)[0]! }));
  }
  const written: LayerSummary[] = [];
  for (const [t, layer] of layers.entries()) {
    await writeNifti(volumes[t]!, paths[t]!, { inputs, intent: 'label' });
    written.push({ name: layer.name, output: paths[t]!, statistics: segmentStatistics(volumes[t]!, layer.segments)[0]! });
  }
  return written;
}
