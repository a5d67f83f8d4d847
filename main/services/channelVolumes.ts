import { sameGrid } from '../../core/geometry/sameGrid.js';
import { AxialError } from '../errors/AxialError.js';
import type { LoaderScan } from '../loader/createVolumeLoader.js';
import type { VolumeEntry } from './createMaskHandlers.js';
import type { ChannelVolume } from './createSegmentationJobs.js';

/**
 * The volumes of a several-image model's channels, from the shown volume's scan (the shown series is not loaded
 * again), for inputs checked by {@link checkChannelInputs}. The result lands on the first channel's grid, so that
 * must be the shown one's.
 * @throws AxialError UNKNOWN_ID for a series the scan lacks; SEGMENTATION_GRID_MISMATCH when the first channel lies
 *   on another grid than the one shown
 */
export async function channelVolumes(
  entry: VolumeEntry,
  scan: Pick<LoaderScan, 'series'>,
  inputs: readonly { channel: string; seriesIndex: number }[],
): Promise<ChannelVolume[]> {
  const loaded: ChannelVolume[] = [];
  for (const { channel, seriesIndex } of inputs) {
    if (seriesIndex === entry.series.index) {
      loaded.push({ channel, volume: entry.volume, description: entry.name, files: entry.inputs });
      continue;
    }
    const series = scan.series.find((s) => s.index === seriesIndex);
    if (!series) throw new AxialError('UNKNOWN_ID', `the scan has no series ${seriesIndex} (it has ${scan.series.length})`);
    const { volume } = await series.load();
    loaded.push({ channel, volume, description: series.description || `series ${series.index}`, files: series.files });
  }
  const first = loaded[0]!;
  if (first.volume !== entry.volume && !sameGrid(first.volume, entry.volume)) {
    throw new AxialError(
      'SEGMENTATION_GRID_MISMATCH',
      `the model's result is drawn on the grid of its first image (${first.channel}), which is not the shown series' grid: ` +
        'show that series and run the model again',
    );
  }
  return loaded;
}
