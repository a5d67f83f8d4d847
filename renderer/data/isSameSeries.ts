import type { LoadedVolume } from './LoadedVolume.js';

/**
 * Whether two volumes are time points of one series: the same scan and series, on the same grid.
 * Each time point of a 4D series has its own volumeId, so work done on one time point (a model's
 * result, measurements) is compared with what is shown by this, not by volumeId.
 */
export function isSameSeries(a: LoadedVolume | null | undefined, b: LoadedVolume | null | undefined): boolean {
  if (!a?.source || !b?.source) return false;
  return (
    a.source.scanId === b.source.scanId &&
    a.source.seriesIndex === b.source.seriesIndex &&
    a.header.dimensions.every((n, axis) => n === b.header.dimensions[axis])
  );
}
