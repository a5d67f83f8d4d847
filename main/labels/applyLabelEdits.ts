import type { LabelEdit } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { checkLabelEdits } from './checkLabelEdits.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/**
 * Applies run-length edits to label layers, in order, and returns the layers
 * after them. Layers are changed in place, except that a layer is widened to
 * a uint16 copy when a value needs it, and an edit of the layer one past the
 * last adds a zero layer. Every edit is checked (see checkLabelEdits) before
 * any is applied, so a bad one changes nothing.
 * @throws AxialError IPC_INVALID_ARGUMENTS when a run is not a whole triple, leaves the volume or names a layer that does not exist.
 */
export function applyLabelEdits(layers: readonly LabelArray[], edits: readonly LabelEdit[], voxelCount: number): LabelArray[] {
  const checked = checkLabelEdits(edits, layers.length, voxelCount);
  if (!checked.ok) throw new AxialError('IPC_INVALID_ARGUMENTS', `mask:edit: ${checked.problem}`);
  const out = [...layers];
  for (const { layer, runs } of checked.edits) {
    let labels = out[layer] ?? new Uint8Array(voxelCount);
    if (labels instanceof Uint8Array && maxValue(runs) > 255) labels = Uint16Array.from(labels);
    for (let r = 0; r < runs.length; r += 3) labels.fill(runs[r + 2]!, runs[r]!, runs[r]! + runs[r + 1]!);
    out[layer] = labels;
  }
  return out;
}

function maxValue(runs: Uint32Array): number {
  let max = 0;
  for (let r = 2; r < runs.length; r += 3) if (runs[r]! > max) max = runs[r]!;
  return max;
}
