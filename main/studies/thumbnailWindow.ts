import { firstWindow, type DisplayWindow } from '../../core/display/firstWindow.js';
import { keepSmallestVisible } from '../../core/display/keepSmallestVisible.js';
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

/**
 * The window a thumbnail is drawn in, chosen as the viewer's first window is (renderer's initialWindow):
 * a CT (by modality, unit, or values that look like HU) takes the file's first window when it is at
 * most 2500 wide, else soft tissue W400/L40; anything else takes the 0.5–99.5 percentiles of the
 * non-zero values, here of the thumbnail's own samples (the viewer takes the whole volume's), or the
 * file's first window when it covers at least half of that and is at most three times as wide.
 */
export function thumbnailWindow(volume: Pick<VolumeProps, 'voxels' | 'metadata'>, samples: SliceSamples, range?: readonly [number, number]): ThumbnailWindow {
  const { metadata } = volume;
  const units = realUnit(metadata.units);
  const ct =
    (metadata.modality ?? '').toUpperCase() === 'CT' ||
    units === 'HU' ||
    (range !== undefined && !metadata.modality && looksLikeHounsfield(volume.voxels, range));
  const file = metadata.windowPresets.find((p) => Number.isFinite(p.center) && Number.isFinite(p.width) && p.width > 0);
  const chosen = firstWindow({ ct, file, robust: () => percentileWindow(volume.voxels, samples) });
  return { low: chosen.center - chosen.width / 2, width: chosen.width };
}

/**
 * The 0.5 and 99.5 percentiles of the samples' non-zero values (all values when every one is zero); width at least
 * 1e-6. A lower edge at the smallest non-zero value moves one step below it (core's keepSmallestVisible, the viewer's
 * rule too), so a label map's first label, or a volume whose non-zero voxels share one value, is not drawn black.
 */
function percentileWindow(voxels: ArrayLike<number>, samples: SliceSamples): DisplayWindow {
  const values: number[] = [];
  for (const row of samples.rowOffsets) for (const column of samples.columnOffsets) values.push(voxels[samples.base + row + column]!);
  const finite = values.filter((v) => Number.isFinite(v));
  const nonZero = finite.filter((v) => v !== 0);
  const sorted = (nonZero.length > 0 ? nonZero : finite).sort((a, b) => a - b);
  if (sorted.length === 0) return { center: 0.5, width: 1 };
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const smallest = sorted[0]!;
  const { lower: low, upper: high } =
    nonZero.length === 0
      ? { lower: at(0.005), upper: at(0.995) }
      : keepSmallestVisible({
          lower: at(0.005),
          upper: at(0.995),
          atSmallest: at(0.005) === smallest,
          smallest,
          largest: sorted[sorted.length - 1]!,
          whole: sorted.every((v) => Number.isInteger(v)),
          distinct: distinctCount(sorted),
          hasZero: nonZero.length < finite.length,
          binWidth: (Math.max(at(0.995), 0) - Math.min(smallest, 0)) / 4096,
        });
  const width = Math.max(high - low, 1e-6);
  return { center: low + width / 2, width };
}

/** How many distinct values a sorted list holds, counting no further than 257. */
function distinctCount(sorted: readonly number[]): number {
  let count = sorted.length > 0 ? 1 : 0;
  for (let n = 1; n < sorted.length && count <= 256; n++) if (sorted[n] !== sorted[n - 1]) count++;
  return count;
}
