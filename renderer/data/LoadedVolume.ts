import type { VolumeHeader } from '../../core/contract.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';
import type { StoredPixelFormat } from './storedPixels.js';

/** A volume with its voxels in memory, and how they are handed to cornerstone. */
export interface LoadedVolume {
  readonly header: VolumeHeader;
  readonly voxels: NumericArray;
  readonly format: StoredPixelFormat;
  /** The scan and series it was loaded from, so another time point of a 4D series can be asked for. */
  readonly source?: { readonly scanId: string; readonly seriesIndex: number };
}
