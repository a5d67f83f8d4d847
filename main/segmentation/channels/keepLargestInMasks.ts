import type { Vec3 } from '../../../core/geometry/types.js';
import type { PostprocessingStep } from '../ModelSpec.js';
import { keepLargestConnectedComponent } from '../pipeline/keepLargestConnectedComponent.js';

type KeepLargestStep = Extract<PostprocessingStep, { kind: 'KeepLargestConnectedComponentd' }>;

/**
 * MONAI's KeepLargestConnectedComponent on a sigmoid prediction's 0/1 masks, in place. One channel is a label map to
 * MONAI (is_onehot None with C = 1): its label 1 is cleaned (applied_labels are then label values). Several channels
 * it takes as one-hot (C > 1): applied_labels are channel indices, and
 * without them every channel with a voxel except channel 0 (get_unique_labels discards 0, taking it for
 * background, even when a sigmoid model's channel 0 is a region). Independent: each channel keeps its own
 * largest component; otherwise the largest component of the channels' union is kept in each of them.
 */
export function keepLargestInMasks(masks: readonly Uint8Array[], dimensions: Vec3, step: KeepLargestStep): void {
  const clean = (labels: Uint8Array): void =>
    keepLargestConnectedComponent({ labels, dimensions, appliedLabels: [1], independent: true, connectivity: step.connectivity });
  if (masks.length === 1) {
    // One channel is not one-hot to MONAI (is_onehot False for C = 1): its values are labels, and label 1 (the mask)
    // is cleaned unless applied_labels leaves it out.
    if (step.appliedLabels === null || step.appliedLabels.includes(1)) clean(masks[0]!);
    return;
  }
  const applied = (step.appliedLabels ?? masks.map((_, c) => c).filter((c) => c !== 0 && masks[c]!.includes(1))).filter((c) => c < masks.length);
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
