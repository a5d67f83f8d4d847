import { totalSegmentatorLabels } from '../dicomSeg/totalSegmentatorLabels.js';

/**
 * TotalSegmentator v1's "total" task numbered 1–104 (differently from v2 from label 7 on); classes above it exist
 * only in v2's table, so a map without one could be v1's, or any atlas numbered from 1.
 */
const largestV1Label = 104;

/** What is known of the volume a label map is opened on. */
export interface MapTarget {
  readonly modality?: string;
  readonly units?: string;
}

/**
 * Whether a label map that names nothing itself may be given TotalSegmentator v2's "total" task names
 * ({@link totalSegmentatorLabels}), a guess from its values alone, so made only when all of these hold: the volume is
 * CT (modality CT or units HU: the task segments CT), one value lies above v1's 104 classes (so a v1 map, numbered
 * differently, is not renamed), and every value present is one of the table's 117 classes. A brain atlas (AAL's
 * 1–116, Schaefer's 1–100) on an MR scan, or a v1 map, is not named.
 * @param present The label values present, background excluded.
 * @param target The metadata of the volume the map is opened on.
 */
export function matchTotalSegmentator(present: readonly number[], target: MapTarget): boolean {
  const ct = target.modality?.toUpperCase() === 'CT' || target.units === 'HU';
  return ct && present.some((v) => v > largestV1Label) && present.every((v) => totalSegmentatorLabels.has(v));
}
