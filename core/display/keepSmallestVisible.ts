/** What a window's lower edge is checked against: the volume's (or the samples') non-zero values. */
export interface SmallestVisibleParams {
  /** The window's lower edge as the percentiles put it. */
  readonly lower: number;
  /** Whether that edge is at the smallest non-zero value (the same value, or in its histogram bin). */
  readonly atSmallest: boolean;
  /** The smallest non-zero value present. */
  readonly smallest: number;
  /** Whether every non-zero value is a whole number. */
  readonly whole: boolean;
  /** How many distinct non-zero values there are (counting past 256 is not needed). */
  readonly distinct: number;
  /** Whether any value is zero (a background). */
  readonly hasZero: boolean;
  /** One step for values that are not whole numbers: the histogram's bin width. */
  readonly binWidth: number;
}

/**
 * The lower edge of a percentile window moved, where needed, one step below the smallest non-zero value, so that
 * value shows above black: without it a label map 0..N opened as a scan shows label 1 as black as the background,
 * and a volume whose non-zero voxels share one value is drawn all black. It moves when the edge is at that value and
 * the values are whole numbers with few distinct values (a label map, a mask: the step is 1), or when zero is present
 * too, or the value is the only one (the step is one bin). Continuous data (MR, CT) has its 0.5 % quantile above its smallest value, or moves by one
 * bin at most.
 */
export function keepSmallestVisible(params: SmallestVisibleParams): number {
  const fewWhole = params.whole && params.distinct <= 256;
  if (!params.atSmallest || !(fewWhole || params.hasZero || params.distinct === 1)) return params.lower;
  return params.smallest - (fewWhole ? 1 : params.binWidth);
}
