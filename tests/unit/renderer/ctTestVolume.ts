import type { VolumeHeader } from '../../../core/contract.js';
import { storedPixelFormat } from '../../../renderer/data/storedPixels.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import type { LoadedVolume } from '../../../renderer/data/LoadedVolume.js';

/** A small axis-aligned int16 CT volume of zeros as the renderer holds it, for state tests; `header` overrides any field. */
export function ctTestVolume(dimensions: Vec3, spacing: Vec3, header: Partial<VolumeHeader> = {}): LoadedVolume {
  const full: VolumeHeader = {
    volumeId: 'v1',
    dimensions: [...dimensions],
    spacing: [...spacing],
    origin: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    dataType: 'int16',
    range: [-1000, 1000],
    units: 'HU',
    modality: 'CT',
    description: '',
    windowPresets: [],
    invertDisplay: false,
    details: [],
    warnings: [],
    dataUrl: 'x',
    format: 'nifti',
    recovery: null,
    measurements: [],
    ...header,
  };
  return { header: full, voxels: new Int16Array(dimensions[0] * dimensions[1] * dimensions[2]), format: storedPixelFormat('int16', full.range) };
}
