import { AxialError } from '../../errors/AxialError.js';
import type { ModelSpec } from '../ModelSpec.js';

/**
 * Refuses a model whose spec lists what Axial does not run (an unsupported transform, spatial transforms out of
 * order): checked once when the model is loaded, before its session opens, so that it fails as the model's and not
 * once per case.
 * @throws AxialError MODEL_UNSUPPORTED naming each unsupported item, where it is, and why.
 */
export function assertModelRunnable(spec: ModelSpec): void {
  if (spec.unsupported.length === 0) return;
  const list = spec.unsupported.map((u) => `${u.name} at ${u.path}: ${u.reason}`).join('; ');
  throw new AxialError('MODEL_UNSUPPORTED', `${spec.name} needs what Axial does not run: ${list}`, { file: spec.modelPath });
}
