import { looksLikeHounsfield, realUnit } from '../input/describeVolume.js';
import type { VolumeProps } from '../volume/Volume.js';

/** A display window by its lower edge and width, in the voxels' values. */
export interface ThumbnailWindow {
  readonly low: number;
  readonly width: number;
}

/** Where the thumbnail's voxels are: the slice's first voxel and each column's and row's offset from it. */
export interface SliceSamples {
  readonly base: number;
  readonly columnOffsets: Int32Array;
  readonly rowOffsets: Int32Array;
}

/** The widest file window a CT opens in (renderer/display/windowPresets' widestCtWindow); wider ones start in soft tissue. */
const widestCtWindow = 2500;
const softTissue = { center: 40, width: 400 };

/**
 * The window a thumbnail is drawn in, chosen as the viewer's first window is (renderer's initialWindow):
 * a CT (by modality, unit, or values that look like HU) takes the file's first window when it is at
 * most 2500 wide, else soft tissue W400/L40; anything else takes the 0.5–99.5 percentiles of the
 * non-zero values, here of the thumbnail's own samples (the viewer takes the whole volume's), or the
 * file's first window when it covers at least half of that and is at most three times as wide.
 */
export function thumbnailWindow(volume: Pick<VolumeProps, 'voxels' | 'metadata'>, samples: SliceSamples, range?: readonly [number, number]): ThumbnailWindow {
  const { metadata } = volume;
  const first = metadata.windowPresets.find((p) => Number.isFinite(p.center) && Number.isFinite(p.width) && p.width > 0);
  const units = realUnit(metadata.units);
  const ct =
    (metadata.modality ?? '').toUpperCase() === 'CT' ||
    units === 'HU' ||
    (range !== undefined && !metadata.modality && looksLikeHounsfield(volume.voxels, range));
  if (ct) {
    const chosen = first && first.width <= widestCtWindow ? first : softTissue;
    return { low: chosen.center - chosen.width / 2, width: chosen.width };
  }
  const robust = percentileWindow(volume.voxels, samples);
  if (first && representative(first.center - first.width / 2, first.width, robust)) return { low: first.center - first.width / 2, width: first.width };
  return robust;
}

/** The 0.5 and 99.5 percentiles of the samples' non-zero values (all values when every one is zero); width at least 1e-6. */
function percentileWindow(voxels: ArrayLike<number>, samples: SliceSamples): ThumbnailWindow {
  const values: number[] = [];
  for (const row of samples.rowOffsets) for (const column of samples.columnOffsets) values.push(voxels[samples.base + row + column]!);
  const finite = values.filter((v) => Number.isFinite(v));
  const nonZero = finite.filter((v) => v !== 0);
  const sorted = (nonZero.length > 0 ? nonZero : finite).sort((a, b) => a - b);
  if (sorted.length === 0) return { low: 0, width: 1 };
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const low = at(0.005);
  return { low, width: Math.max(at(0.995) - low, 1e-6) };
}

/** The viewer's test: the file window covers at least half of the robust one and is at most three times as wide. */
function representative(low: number, width: number, robust: ThumbnailWindow): boolean {
  const overlap = Math.min(low + width, robust.low + robust.width) - Math.max(low, robust.low);
  return overlap >= robust.width / 2 && width <= robust.width * 3;
}
