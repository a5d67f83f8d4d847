import type { LabelEdit, SegmentDef } from '../../core/contract.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { labelBytesOverBudget } from '../../core/labels/labelBytesOverBudget.js';
import { AxialError } from '../errors/AxialError.js';
import { checkLabelEdits } from './checkLabelEdits.js';

/**
 * Checks a `mask:edit` against the mask's layers before anything is counted,
 * journaled or allocated: its runs (see checkLabelEdits); a segment table
 * naming no (layer, value) twice and no layer the mask will not have; every
 * layer the edit adds named by a segment; and the layers after it within
 * the label budget (labelBytesOverBudget: an edit that adds or widens no
 * layer is never refused, whatever a file opened with many layers holds).
 * @throws AxialError IPC_INVALID_ARGUMENTS naming the first problem.
 */
export function checkMaskEdit(layers: readonly LabelArray[], edits: readonly LabelEdit[], segments: readonly SegmentDef[], voxelCount: number): void {
  const refuse = (problem: string): never => {
    throw new AxialError('IPC_INVALID_ARGUMENTS', `mask:edit: ${problem}`);
  };
  const checked = checkLabelEdits(edits, layers.length, voxelCount);
  if (!checked.ok) return refuse(checked.problem);
  const seen = new Set<string>();
  for (const { layer, value, name } of segments) {
    if (layer >= checked.layerCount) refuse(`segment ${name} is on layer ${layer}, which does not exist (there are ${checked.layerCount})`);
    if (seen.has(`${layer}:${value}`)) refuse(`two segments are label ${value} of layer ${layer}`);
    seen.add(`${layer}:${value}`);
  }
  const bytes = layers.map((l) => l.BYTES_PER_ELEMENT);
  for (const { layer, wide } of checked.edits) {
    if (layer === bytes.length && !segments.some((s) => s.layer === layer)) refuse(`layer ${layer} would be added, but no segment is on it`);
    bytes[layer] = Math.max(bytes[layer] ?? 1, wide ? 2 : 1);
  }
  const over = labelBytesOverBudget(sum(layers.map((l) => l.BYTES_PER_ELEMENT)), sum(bytes));
  if (over !== null) refuse(over);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
