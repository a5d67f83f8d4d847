import type { PreprocessingStep, UnsupportedItem } from '../ModelSpec.js';

/** Where each spatial transform must come: Axial's Invertd undoes Orientationd, then Spacingd, then the crops. */
const spatialRank: Partial<Record<PreprocessingStep['kind'], number>> = {
  Orientationd: 1,
  Spacingd: 2,
  ResizeWithPadOrCropd: 3,
  CropForegroundd: 3,
};

/**
 * The spatial preprocessing steps (at `paths`, one per step) that come after a later one (Spacingd before Orientationd), as unsupported items:
 * preprocessVolume refuses them when it runs, so a bundle with them is not runnable and says so when it is read
 * (`bundle inspect`, and the inference process before it opens the session), not once per case.
 */
export function spatialOrderProblems(steps: readonly PreprocessingStep[], paths: readonly string[]): UnsupportedItem[] {
  const problems: UnsupportedItem[] = [];
  let reached = 0;
  for (const [n, step] of steps.entries()) {
    const rank = spatialRank[step.kind];
    if (rank === undefined) continue;
    if (rank < reached) {
      problems.push({
        path: paths[n] ?? 'preprocessing',
        name: step.kind,
        reason: 'after a later spatial transform: Axial inverts Orientationd → Spacingd → crops in that order only',
      });
    } else reached = rank;
  }
  return problems;
}
