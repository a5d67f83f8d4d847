import type { Vec3 } from '../../../core/geometry/types.js';
import type { PostprocessingStep } from '../ModelSpec.js';
import { keepLargestConnectedComponent } from '../pipeline/keepLargestConnectedComponent.js';

type KeepLargestStep = Extract<PostprocessingStep, { kind: 'KeepLargestConnectedComponentd' }>;

/**
 * MONAI's KeepLargestConnectedComponent on a prediction of several channels, which it takes as one-hot
 * (is_onehot None with C > 1), in place on the channels' 0/1 masks: applied_labels are channel indices, and
 * without them every channel with a voxel except channel 0 (get_unique_labels discards 0, taking it for
 * background, even when a sigmoid model's channel 0 is a region). Independent: each channel keeps its own
 * largest component; otherwise the largest component of the channels' union is kept in each of them.
 */
export function keepLargestInMasks(masks: readonly Uint8Array[], dimensions: Vec3, step: KeepLargestStep): void {
  const applied = (step.appliedLabels ?? masks.map((_, c) => c).filter((c) => c !== 0 && masks[c]!.includes(1))).filter((c) => c < masks.length);
  const clean = (labels: Uint8Array): void =>
    keepLargestConnectedComponent({ labels, dimensions, appliedLabels: [1], independent: true, connectivity: step.connectivity });
  if (step.independent) {
    for (const c of applied) clean(masks[c]!);
    return;
  }
  if (applied.length === 0) return;
  const union = new Uint8Array(masks[0]!.length);
  for (const c of applied) masks[c]!.forEach((v, n) => (union[n] = union[n]! | v));
  clean(union);
  for (const c of applied) masks[c]!.forEach((v, n) => (masks[c]![n] = v & union[n]!));
}
