import type { MaskHeader, VolumeHeader } from '../../preload/contract.js';
import type { NumericArray } from '../geometry/types.js';
import type { StoredPixelFormat } from '../display/storedPixels.js';

/** A volume with its voxels in memory, and how they are handed to cornerstone. */
export interface LoadedVolume {
  readonly header: VolumeHeader;
  readonly voxels: NumericArray;
  readonly format: StoredPixelFormat;
}

/** A label map on a volume's grid. */
export interface LoadedMask {
  readonly header: MaskHeader;
  readonly labels: Uint8Array | Uint16Array;
  /** Largest label value present in the header's segments or the voxels. */
  readonly maxLabel: number;
}
