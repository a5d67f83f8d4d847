import type { DicomSeries } from './DicomSeries.js';

/** How much longer than RepetitionTime the time between volumes must be to be taken instead (AcquisitionTime is rounded). */
const longerThanRepetition = 1.05;

/**
 * Seconds from one time point of a 4D series to the next (a 4D NIfTI's pixdim[4]), as dcm2niix gives
 * it: the median time between consecutive time points' acquisitions (each the earliest acquisition
 * time of its slices) where no RepetitionTime is stored, or where that time is longer than it (the
 * TR of a 3D, dynamic or cardiac sequence is one excitation's, not one volume's); else RepetitionTime.
 * `volumes` are the time points in order. Undefined where neither is known (or for one time point).
 */
export function secondsBetweenTimePoints(volumes: readonly DicomSeries[]): number | undefined {
  if (volumes.length < 2) return undefined;
  const repetitionMs = volumes[0]!.slices[0]!.instance.repetitionTime;
  const repetition = repetitionMs === undefined ? undefined : repetitionMs / 1000;
  const between = medianTimeBetween(volumes);
  if (between !== undefined && (repetition === undefined || between > repetition * longerThanRepetition)) return between;
  return repetition;
}

function medianTimeBetween(volumes: readonly DicomSeries[]): number | undefined {
  const starts = volumes.map((volume) => Math.min(...volume.slices.map((slice) => slice.geometry.acquisitionTime ?? Infinity)));
  if (!starts.every(Number.isFinite)) return undefined;
  // A series acquired across midnight: its times of day start again from 0.
  const steps = starts.slice(1).map((t, i) => ((t - starts[i]! + 86400 + 43200) % 86400) - 43200);
  const sorted = steps.sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  // To the microsecond, the precision of a DICOM time: 14:03:10 - 14:03:00 reads 10, not 9.999999999.
  return median > 0 ? Math.round(median * 1e6) / 1e6 : undefined;
}
