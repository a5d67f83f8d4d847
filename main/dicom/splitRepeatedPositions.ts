import type { DicomSlice } from './DicomSeries.js';
import { slicePositionKey } from './slicePositionKey.js';

/** One volume's slices, and why they were split from the others at the same positions. */
export interface RepetitionPart {
  readonly slices: DicomSlice[];
  readonly reason: string | undefined;
}

/** The volumes of one grid's slices, in time order, and a warning where that order is a guess. */
export interface RepetitionSplit {
  readonly parts: RepetitionPart[];
  readonly warning?: string;
}

/**
 * Splits slices that repeat positions into volumes (time points, mostly), by the first number that
 * leaves no position repeated in any volume: TemporalPositionIdentifier (an fMRI or perfusion series
 * whose volumes share one AcquisitionNumber), an enhanced object's per-frame TemporalPositionIndex,
 * AcquisitionNumber, then TriggerTime (cardiac phases whose InstanceNumber restarts per phase), this
 * one only where every phase covers every position (trigger times of one phase may differ by slice).
 * Failing all, the n-th slice at each position (ordered by those numbers, then InstanceNumber and
 * frame) goes to volume n, with a warning where only the files' order told two slices apart.
 */
export function splitRepeatedPositions(slices: DicomSlice[]): RepetitionSplit {
  if (!hasRepeats(slices)) return { parts: [{ slices, reason: undefined }] };
  const split =
    splitBy(slices, (s) => s.instance.temporalPosition, 'temporal position') ??
    splitBy(slices, (s) => s.geometry.temporalPositionIndex, 'temporal position index') ??
    splitBy(slices, (s) => s.instance.acquisitionNumber, 'acquisition') ??
    splitBy(slices, (s) => s.geometry.triggerTime, 'trigger time', { everyPosition: true });
  return split ? { parts: split } : splitByRepetition(slices);
}

/** The numbers that order slices at one position, most telling first; the frame breaks ties within a file. */
const orderKeys: readonly ((slice: DicomSlice) => number | undefined)[] = [
  (s) => s.instance.temporalPosition,
  (s) => s.geometry.temporalPositionIndex,
  (s) => s.instance.instanceNumber,
  (s) => s.geometry.triggerTime,
];

function compareKeys(a: DicomSlice, b: DicomSlice): number {
  for (const key of orderKeys) {
    const [x, y] = [key(a), key(b)];
    if (x !== y) return x === undefined ? -1 : y === undefined ? 1 : x - y;
  }
  return 0;
}

function splitByRepetition(slices: readonly DicomSlice[]): RepetitionSplit {
  const ordered = [...slices].sort((a, b) => compareKeys(a, b) || a.frameIndex - b.frameIndex);
  const atPosition = new Map<string, DicomSlice[]>();
  const repeats: DicomSlice[][] = [];
  let ties = 0;
  for (const s of ordered) {
    const before = atPosition.get(slicePositionKey(s)) ?? [];
    const previous = before[before.length - 1];
    if (previous && previous.instance !== s.instance && compareKeys(previous, s) === 0) ties++;
    before.push(s);
    atPosition.set(slicePositionKey(s), before);
    (repeats[before.length - 1] ??= []).push(s);
  }
  const parts = repeats.map((list, n) => ({ slices: list, reason: `repeated positions: volume ${n + 1} of ${repeats.length}` }));
  if (ties === 0) return { parts };
  return {
    parts,
    warning:
      `${ties} slice${ties > 1 ? 's were' : ' was'} put in a time point by file order alone (at ${ties > 1 ? 'their' : 'its'} position, ` +
      'no TemporalPositionIdentifier, AcquisitionNumber, TriggerTime or InstanceNumber tells them from another slice): ' +
      'the time points may mix slices of different times',
  };
}

/**
 * The slices split by a number, in its order, when that leaves no position repeated in any part (and,
 * with `everyPosition`, each part holds every position); else undefined.
 */
function splitBy(
  slices: readonly DicomSlice[],
  numberOf: (slice: DicomSlice) => number | undefined,
  name: string,
  { everyPosition = false } = {},
): RepetitionPart[] | undefined {
  const parts = new Map<number | undefined, DicomSlice[]>();
  for (const s of slices) {
    const list = parts.get(numberOf(s)) ?? [];
    list.push(s);
    parts.set(numberOf(s), list);
  }
  if (parts.size <= 1 || [...parts.values()].some(hasRepeats)) return undefined;
  const positions = new Set(slices.map(slicePositionKey)).size;
  if (everyPosition && [...parts.values()].some((list) => list.length !== positions)) return undefined;
  return [...parts.entries()].sort(([a], [b]) => (a ?? 0) - (b ?? 0)).map(([n, list]) => ({ slices: list, reason: `${name} ${n ?? '-'}` }));
}

function hasRepeats(slices: readonly DicomSlice[]): boolean {
  return new Set(slices.map(slicePositionKey)).size !== slices.length;
}
