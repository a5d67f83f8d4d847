import type { ModelSpec } from './ModelSpec.js';

/** From this many classes, 'auto' keeps only each voxel's leading classes (below it dense float32 sums are small). */
const leadersFromClasses = 16;

/**
 * Whether segmentVolume sums `spec`'s windows in the leaders store (see leaderSums): softmax then argmax, at precision
 * 'leaders', or 'auto' from 16 classes. Its runner can then return each window's leading classes (appendLeadersTail.ts).
 */
export function usesLeaderStore(spec: ModelSpec, precision: 'auto' | 'leaders' | 'float16' | 'float32' | 'reference' = 'auto'): boolean {
  const post = spec.postprocessing;
  const activation = post.find((s) => s.kind === 'Activationsd');
  const discrete = post.find((s) => s.kind === 'AsDiscreted');
  const softmax = activation?.kind === 'Activationsd' && activation.softmax;
  const threshold = discrete?.kind === 'AsDiscreted' && !discrete.argmax && discrete.threshold !== null;
  return softmax && !threshold && (precision === 'leaders' || (precision === 'auto' && spec.output.channels >= leadersFromClasses));
}
