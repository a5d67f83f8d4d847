import { totalSegmentatorLabels } from '../dicomSeg/totalSegmentatorLabels.js';

/**
 * The largest label of TotalSegmentator's MR task ("total_mr") in the label table its example MR map
 * carries: a map whose labels all stay at or below it may be an MR map, whose classes differ.
 */
const largestMrLabel = 50;

/**
 * Whether a label map's values fit TotalSegmentator v2's "total" task table
 * ({@link totalSegmentatorLabels}): every value present is one of its 117 classes, there are at least two,
 * and one lies above the MR task's classes (so an MR map, numbered 1–50 with other organs, is not given CT
 * names).
 * @param present The label values present, background excluded.
 */
export function matchTotalSegmentator(present: readonly number[]): boolean {
  return present.length >= 2 && present.every((v) => totalSegmentatorLabels.has(v)) && present.some((v) => v > largestMrLabel);
}
