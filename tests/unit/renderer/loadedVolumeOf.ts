import type { Volume } from '../../../main/volume/Volume.js';
import type { VolumeHeader } from '../../../core/contract.js';
import { storedPixelFormat } from '../../../renderer/data/storedPixels.js';
import type { LoadedVolume } from '../../../renderer/data/LoadedVolume.js';
import { valueRange } from '../../../main/volume/valueRange.js';

type Tuple = [number, number, number];

/** A main Volume as the renderer holds it after `volume:load` and `fetchData` (what main's header would say, minimal metadata). */
export function loadedVolumeOf(volume: Volume, units: string | null = null): LoadedVolume {
  const copy = (v: readonly number[]): Tuple => [v[0]!, v[1]!, v[2]!];
  const range = valueRange(volume);
  const header: VolumeHeader = {
    volumeId: 'test',
    dimensions: copy(volume.dimensions),
    spacing: copy(volume.spacing),
    origin: copy(volume.origin),
    direction: [copy(volume.direction[0]), copy(volume.direction[1]), copy(volume.direction[2])],
    dataType: volume.dataType,
    range,
    units,
    modality: volume.metadata.modality ?? '',
    description: '',
    windowPresets: [],
    invertDisplay: false,
    details: [],
    warnings: [],
    dataUrl: '',
    format: volume.metadata.format,
    recovery: null,
    measurements: [],
  };
  return { header, voxels: volume.voxels, format: storedPixelFormat(volume.dataType, range) };
}
