import type { DicomInstance } from './DicomInstance.js';
import type { DicomSlice, TimeSeriesPart } from './DicomSeries.js';
import { slicePositionKey } from './slicePositionKey.js';
import { splitRepeatedPositions } from './splitRepeatedPositions.js';

/** Slices that belong together before sorting, with why they were split off, if they were. */
export interface SliceGroup {
  readonly seriesInstanceUid: string;
  readonly slices: DicomSlice[];
  readonly splitReason: string | undefined;
  /** Set when this group is one time point of several on the same grid (see TimeSeriesPart). */
  readonly timeSeries?: TimeSeriesPart;
  /** Files of this volume left out as copies of an image already read (see withoutCopies). */
  readonly duplicates?: number;
  /** Where the split into time points is a guess (see splitRepeatedPositions). */
  readonly warnings?: readonly string[];
}

/**
 * Groups slices into volumes as dcm2niix does: by SeriesInstanceUID (where a
 * de-identified file has none, by study, frame of reference, patient and series
 * number, saying so when that splits them), then apart where orientation, matrix size, pixel
 * spacing (each frame's own, in an enhanced object), BitsAllocated or echo differ; and where
 * positions repeat, by temporal position, acquisition, trigger time, then order of repetition
 * (splitRepeatedPositions: a time series becomes one volume per time point). Volumes so split
 * that keep the same slice positions are marked as one 4D series' time points (`timeSeries`).
 * A file that repeats an image already read (its SOPInstanceUID, at the same position) is left
 * out and counted.
 */
export function groupIntoSeries(instances: readonly DicomInstance[]): SliceGroup[] {
  const byKey = new Map<string, { uid: string; series: string; slices: DicomSlice[]; parts: string[] }>();
  const spacingOf = sameSpacings();
  for (const instance of instances) {
    const series = seriesKeyOf(instance);
    instance.frames.forEach((geometry, frameIndex) => {
      const f = instance.pixelFormat;
      const parts = [
        `orientation ${geometry.orientation.map((v) => v.toFixed(3)).join('\\')}`,
        `matrix ${f.columns}×${f.rows}`,
        // A scout or a reformat of another field of view in the series: its pixels are not this volume's size.
        `pixel spacing ${spacingOf(geometry.pixelSpacing ?? instance.pixelSpacing)}`,
        // Not PixelRepresentation: slices of one series may differ in it (the loader reads each as stored), as dcm2niix allows.
        `pixels ${f.bitsAllocated}-bit`,
        `echo ${instance.echoNumber ?? '-'}`,
        // Phase, real and imaginary images share a magnitude series' positions (field maps, SWI): never its time points.
        ...complexPart(instance.imageType),
      ];
      const key = [series, ...parts].join('|');
      let group = byKey.get(key);
      if (!group) byKey.set(key, (group = { uid: instance.seriesInstanceUid, series, slices: [], parts }));
      group.slices.push({ instance, frameIndex, geometry });
    });
  }
  const groups: SliceGroup[] = [];
  const perSeries = new Map<string, number>();
  for (const group of byKey.values()) perSeries.set(group.series, (perSeries.get(group.series) ?? 0) + 1);
  // Files with no SeriesInstanceUID told apart by what else they say: each volume says so, as the UIDs cannot.
  const anonymous = new Set([...byKey.values()].filter((g) => g.uid === '').map((g) => g.series));
  const untold = anonymous.size > 1 ? 'no SeriesInstanceUID: told apart by study, frame of reference, patient and series number' : undefined;
  for (const group of byKey.values()) {
    const split = (perSeries.get(group.series) ?? 0) > 1 ? `split by ${group.parts.join(', ')}` : undefined;
    const reason = joinReasons(group.uid === '' ? untold : undefined, split);
    const { slices, copies } = withoutCopies(group.slices);
    const { parts, warning } = splitRepeatedPositions(slices);
    const timeKey = parts.length > 1 && sameGrid(parts.map((part) => part.slices)) ? [group.series, ...group.parts].join('|') : undefined;
    parts.forEach((part, index) => {
      const timeSeries = timeKey === undefined ? undefined : { key: timeKey, index, count: parts.length };
      groups.push({
        seriesInstanceUid: group.uid,
        slices: part.slices,
        splitReason: joinReasons(reason, part.reason),
        ...(timeSeries && { timeSeries }),
        ...(index === 0 && copies > 0 && { duplicates: copies }),
        ...(warning !== undefined && { warnings: [warning] }),
      });
    });
  }
  return groups;
}

/**
 * The pixel spacing's text for grouping, the same for spacings within 1e-4 of each other (relative): 200/256 =
 * 0.78125 written as 0.78124999999999 by one slice must not round to another four decimals than the rest.
 */
function sameSpacings(): (spacing: readonly [number, number]) => string {
  const seen: (readonly [number, number])[] = [];
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(a), Math.abs(b));
  return (spacing) => {
    let known = seen.find((s) => close(s[0], spacing[0]) && close(s[1], spacing[1]));
    if (!known) seen.push((known = spacing));
    return known.map((v) => v.toFixed(4)).join('\\');
  };
}

/** What makes a series one: its SeriesInstanceUID, or where a de-identified file left it empty, what else says so. */
function seriesKeyOf(instance: DicomInstance): string {
  if (instance.seriesInstanceUid !== '') return instance.seriesInstanceUid;
  // Not the description: free text a de-identification may blank in some files and not others.
  const { studyInstanceUid, frameOfReferenceUid, patientId, seriesNumber } = instance;
  return JSON.stringify(['no SeriesInstanceUID', studyInstanceUid, frameOfReferenceUid, patientId, seriesNumber ?? null]);
}

/**
 * A volume's slices without those of files that repeat an image already read (a file copied twice into the
 * folder: the same SOPInstanceUID, frame and position; the group already shares the format), and how many files
 * were left out. A file that reuses a UID for another matrix is in another group, never taken for a copy. Slices
 * with no UID (de-identified files) are all kept.
 */
function withoutCopies(slices: readonly DicomSlice[]): { slices: DicomSlice[]; copies: number } {
  const seen = new Set<string>();
  const dropped = new Set<string>();
  const kept = slices.filter((slice) => {
    const uid = slice.instance.sopInstanceUid;
    if (uid === '') return true;
    const key = `${uid}#${slice.frameIndex}#${slicePositionKey(slice)}`;
    if (!seen.has(key)) {
      seen.add(key);
      return true;
    }
    dropped.add(slice.instance.file);
    return false;
  });
  return { slices: kept, copies: dropped.size };
}

function joinReasons(a: string | undefined, b: string | undefined): string | undefined {
  return a && b ? `${a}; ${b}` : (a ?? b);
}

/** Whether every volume has the same slice positions (so they are time points of one grid, not pieces of different ones). */
function sameGrid(volumes: readonly (readonly DicomSlice[])[]): boolean {
  const positionsOf = (slices: readonly DicomSlice[]): string => slices.map(slicePositionKey).sort().join(';');
  const first = positionsOf(volumes[0]!);
  return volumes.every((slices) => slices.length === volumes[0]!.length && positionsOf(slices) === first);
}

/**
 * The complex part an image holds, from its ImageType ('P', 'PHASE' or 'PHASE MAP'; 'R' or 'REAL'; 'I' or
 * 'IMAGINARY', as Siemens, Philips and GE write them); nothing for magnitude, the usual case, so the usual
 * series' split reasons read as before.
 */
function complexPart(imageType: readonly string[] | undefined): string[] {
  const values = new Set((imageType ?? []).map((v) => v.trim().toUpperCase()));
  if (values.has('P') || values.has('PHASE') || values.has('PHASE MAP')) return ['image phase'];
  if (values.has('R') || values.has('REAL')) return ['image real'];
  if (values.has('I') || values.has('IMAGINARY')) return ['image imaginary'];
  return [];
}
