/** The largest absolute difference between two outputs of one length, and the expected output's largest magnitude. */
export function outputDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): { maxAbs: number; scale: number } {
  let maxAbs = 0;
  let scale = 0;
  for (let n = 0; n < expected.length; n++) {
    maxAbs = Math.max(maxAbs, Math.abs(actual[n]! - expected[n]!));
    scale = Math.max(scale, Math.abs(expected[n]!));
  }
  return { maxAbs, scale };
}
