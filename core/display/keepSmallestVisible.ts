/** What a window's edges are checked against: the volume's (or the samples') non-zero values. */
export interface SmallestVisibleParams {
  /** The window's lower edge as the percentiles put it. */
  readonly lower: number;
  /** The window's upper edge as the percentiles put it. */
  readonly upper: number;
  /** Whether that lower edge is at the smallest non-zero value (the same value, or in its histogram bin). */
  readonly atSmallest: boolean;
  /** The smallest non-zero value present. */
  readonly smallest: number;
  /** The largest value present. */
  readonly largest: number;
  /** Whether every non-zero value is a whole number. */
  readonly whole: boolean;
  /** How many distinct non-zero values there are (counting past 256 is not needed). */
  readonly distinct: number;
  /** Whether any value is zero (a background). */
  readonly hasZero: boolean;
  /** One step for values that are not whole numbers: the histogram's bin width. */
  readonly binWidth: number;
}

/** A window's edges, in voxel values. */
export interface WindowEdges {
  readonly lower: number;
  readonly upper: number;
}

/**
 * A percentile window's edges, moved where needed so the smallest non-zero value shows above black: without it a
 * label map 0..N opened as a scan shows label 1 as black as the background, and a volume whose non-zero voxels
 * share one value is drawn all black.
 *
 * Whole-number data with at most 256 distinct non-zero values (a label map, a mask) always spans one step below its
 * smallest non-zero value (zero itself, where zero is the background and that value is positive) up to its largest
 * value, whatever the quantiles say: a rare first label (a small structure, under the 0.5 % quantile's share) is not
 * black either, and labels 0..N show evenly spaced greys. Other data moves
 * its lower edge by one bin when that edge is at the smallest value and zero is present too or the value is the only
 * one; continuous data (MR, CT) has its 0.5 % quantile above its smallest value, or moves by one bin at most.
 */
export function keepSmallestVisible(params: SmallestVisibleParams): WindowEdges {
  const { lower, upper } = params;
  if (params.whole && params.distinct <= 256) {
    // With a zero background the edge is zero itself: labels 0/100/200 show as 0/128/255, not label 100 next to black.
    const below = params.hasZero && params.smallest > 0 ? 0 : params.smallest - 1;
    return { lower: below, upper: Math.max(params.largest, params.smallest) };
  }
  if (!params.atSmallest || !(params.hasZero || params.distinct === 1)) return { lower, upper };
  return { lower: params.smallest - params.binWidth, upper };
}
