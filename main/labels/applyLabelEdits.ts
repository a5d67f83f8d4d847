import type { LabelEdit } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import { checkLabelEdits } from './checkLabelEdits.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/** Told of each run just before it is written: voxels [start, end) of `labels` (layer `layer`) are to become `value`. */
export type BeforeFill = (layer: number, labels: LabelArray, start: number, end: number, value: number) => void;

/**
 * Applies run-length edits to label layers, in order, and returns the layers
 * after them. Layers are changed in place, except that a layer is widened to
 * a uint16 copy when a value needs it, and an edit of the layer one past the
 * last adds a zero layer. Every edit is checked (see checkLabelEdits) before
 * any is applied, so a bad one changes nothing. `beforeFill` sees the old
 * labels of every run (a LabelTally keeps its sums from them).
 * @throws AxialError IPC_INVALID_ARGUMENTS when a run is not a whole triple, leaves the volume or names a layer that does not exist.
 */
export function applyLabelEdits(layers: readonly LabelArray[], edits: readonly LabelEdit[], voxelCount: number, beforeFill?: BeforeFill): LabelArray[] {
  const checked = checkLabelEdits(edits, layers.length, voxelCount);
  if (!checked.ok) throw new AxialError('IPC_INVALID_ARGUMENTS', `mask:edit: ${checked.problem}`);
  const out = [...layers];
  for (const { layer, runs, wide } of checked.edits) {
    let labels = out[layer] ?? new Uint8Array(voxelCount);
    if (labels instanceof Uint8Array && wide) labels = Uint16Array.from(labels);
    for (let r = 0; r < runs.length; r += 3) {
      const start = runs[r]!;
      const end = start + runs[r + 1]!;
      beforeFill?.(layer, labels, start, end, runs[r + 2]!);
      labels.fill(runs[r + 2]!, start, end);
    }
    out[layer] = labels;
  }
  return out;
}
