import type { MaskHeader, VolumeHeader } from '../../core/contract.js';
import type { NumericArray } from '../../core/labels/NumericArray.js';
import type { StoredPixelFormat } from '../display/storedPixels.js';

/** A volume with its voxels in memory, and how they are handed to cornerstone. */
export interface LoadedVolume {
  readonly header: VolumeHeader;
  readonly voxels: NumericArray;
  readonly format: StoredPixelFormat;
}

/** A segmentation on a volume's grid, as main sent it: its label layers, i fastest. */
export interface LoadedMask {
  readonly header: MaskHeader;
  readonly layers: (Uint8Array | Uint16Array)[];
}
