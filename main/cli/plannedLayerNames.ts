import type { ModelSpec } from '../segmentation/ModelSpec.js';

/**
 * The layers a run of this model will give, by name, before it runs: one per output channel of a sigmoid model whose
 * AsDiscreted thresholds (two or more channels, or one merged by a Lambdad), as segmentVolume decides; none otherwise.
 */
export function plannedLayerNames(spec: Pick<ModelSpec, 'output' | 'postprocessing'>): string[] {
  const post = spec.postprocessing;
  // The first of each step, as segmentVolume reads them.
  const activation = post.find((s) => s.kind === 'Activationsd');
  const discrete = post.find((s) => s.kind === 'AsDiscreted');
  const sigmoid = activation?.kind === 'Activationsd' && !activation.softmax && activation.sigmoid;
  const threshold = discrete?.kind === 'AsDiscreted' && !discrete.argmax && discrete.threshold !== null;
  const lambda = post.some((s) => s.kind === 'Lambdad');
  if (!sigmoid || !threshold || (spec.output.channels < 2 && !lambda)) return [];
  return Array.from({ length: spec.output.channels }, (_, c) => spec.output.labels.find((l) => l.value === c)?.name ?? `channel ${c}`);
}
