import type { LabelArray } from '../../../core/labels/LabelArray.js';
import type { ChannelExpression } from '../ModelSpec.js';

type VoxelFunction = (masks: readonly Uint8Array[], n: number) => number;

/** The expression as a function of one voxel's channel values (torch's comparisons give 0 or 1, as True/False do in where). */
function compile(expression: ChannelExpression): VoxelFunction {
  switch (expression.kind) {
    case 'literal': {
      const value = expression.value;
      return () => value;
    }
    case 'channel': {
      const index = expression.index;
      return (masks, n) => masks[index]![n]!;
    }
    case 'compare': {
      const [left, right] = [compile(expression.left), compile(expression.right)];
      switch (expression.op) {
        case '>':
          return (m, n) => (left(m, n) > right(m, n) ? 1 : 0);
        case '>=':
          return (m, n) => (left(m, n) >= right(m, n) ? 1 : 0);
        case '<':
          return (m, n) => (left(m, n) < right(m, n) ? 1 : 0);
        case '<=':
          return (m, n) => (left(m, n) <= right(m, n) ? 1 : 0);
        case '==':
          return (m, n) => (left(m, n) === right(m, n) ? 1 : 0);
        case '!=':
          return (m, n) => (left(m, n) !== right(m, n) ? 1 : 0);
      }
      break;
    }
    case 'where': {
      const [condition, whenTrue, whenFalse] = [compile(expression.condition), compile(expression.whenTrue), compile(expression.whenFalse)];
      return (m, n) => (condition(m, n) !== 0 ? whenTrue(m, n) : whenFalse(m, n));
    }
  }
}

/** The largest label the expression can give (its where branches' literals; a comparison gives 1). */
function largestLabel(expression: ChannelExpression): number {
  if (expression.kind === 'literal') return expression.value;
  if (expression.kind === 'where') return Math.max(largestLabel(expression.whenTrue), largestLabel(expression.whenFalse));
  return 1;
}

/**
 * MONAI's Lambdad merge (brats: `torch.where(x[[2]] > 0, 4, torch.where(x[[0]] > 0, 1, ...))`) evaluated per
 * voxel on the thresholded channels (each 0 or 1), giving one label map; uint16 when a label passes 255.
 */
export function mergeChannels(expression: ChannelExpression, masks: readonly Uint8Array[]): LabelArray {
  const run = compile(expression);
  const size = masks[0]?.length ?? 0;
  const labels = largestLabel(expression) > 255 ? new Uint16Array(size) : new Uint8Array(size);
  for (let n = 0; n < size; n++) labels[n] = run(masks, n);
  return labels;
}
