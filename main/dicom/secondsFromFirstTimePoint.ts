import type { DicomSeries } from './DicomSeries.js';

/**
 * Each time point's seconds from the first, as the files date them, for the time slider (not a NIfTI's pixdim[4]:
 * secondsBetweenTimePoints gives that one step, which uneven sampling or a cine's TR would make false here).
 * Cardiac phases told apart by TriggerTime (an enhanced object's NominalCardiacTriggerDelayTime) are their trigger
 * delays, in ms in the files; other time points are dated by their acquisition (FrameAcquisitionDateTime,
 * AcquisitionTime or AcquisitionDateTime). Where both run forward, the longer span wins: a cine's phases share one
 * acquisition time, while a triggered perfusion series' dynamics, a heartbeat or more apart, share a trigger delay
 * but for a few ms of jitter. A time point's time is its earliest slice's, the start of its volume. `volumes` are the
 * time points in order. Undefined (no seconds claimed) for one time point, where a time point has no such time, or
 * where the times do not run forward (all equal, or one before an earlier time point's).
 */
export function secondsFromFirstTimePoint(volumes: readonly DicomSeries[]): readonly number[] | undefined {
  if (volumes.length < 2) return undefined;
  const triggers = startsOf(volumes, (slice) => slice.geometry.triggerTime);
  const byTrigger = triggers && forwardOffsets(triggers.map((ms) => ms / 1000));
  const acquisitions = startsOf(volumes, (slice) => slice.geometry.acquisitionTime);
  const byAcquisition = acquisitions && forwardOffsets(acrossMidnight(acquisitions));
  if (byTrigger && byAcquisition) return byTrigger[byTrigger.length - 1]! >= byAcquisition[byAcquisition.length - 1]! ? byTrigger : byAcquisition;
  return byTrigger ?? byAcquisition;
}

/**
 * Times of day made to run on across one midnight: a step back of more than 12 h between consecutive time points is
 * the day starting again (23:59:50 then 00:00:10), and adds a day to the rest, once. Any other step back stays, and
 * forwardOffsets then claims no time (10:15:30 then 10:15:10 is no 24-hour gap).
 */
function acrossMidnight(times: readonly number[]): number[] {
  let day = 0;
  return times.map((t, i) => {
    if (i > 0 && day === 0 && times[i - 1]! - t > 43200) day = 86400;
    return t + day;
  });
}

/** Each volume's earliest time as `timeOf` reads its slices; undefined where a volume has a slice without one. */
function startsOf(volumes: readonly DicomSeries[], timeOf: (slice: DicomSeries['slices'][number]) => number | undefined): number[] | undefined {
  const starts = volumes.map((volume) => Math.min(...volume.slices.map((slice) => timeOf(slice) ?? Number.NaN)));
  return starts.every(Number.isFinite) ? starts : undefined;
}

function forwardOffsets(times: readonly number[]): readonly number[] | undefined {
  // To the microsecond, a DICOM time's precision: 10:15:10 - 10:15:00 reads 10, not 9.999999999.
  const offsets = times.map((t) => Math.round((t - times[0]!) * 1e6) / 1e6);
  const forward = offsets.every((t, i) => i === 0 || t >= offsets[i - 1]!);
  return forward && offsets[offsets.length - 1]! > 0 ? offsets : undefined;
}
