import type { LabelEdit } from '../../preload/contract.js';
import { AxialError } from '../errors/AxialError.js';
import type { LabelArray } from './resampleLabels.js';

/**
 * Applies run-length edits to label layers, in order, and returns the layers
 * after them. Layers are changed in place, except that a layer is widened to
 * a uint16 copy when a value needs it, and an edit of the layer one past the
 * last adds a zero layer. Every edit is checked before any is applied, so a
 * bad one changes nothing.
 * @throws AxialError IPC_INVALID_ARGUMENTS when a run leaves the volume or names a layer that does not exist.
 */
export function applyLabelEdits(layers: readonly LabelArray[], edits: readonly LabelEdit[], voxelCount: number): LabelArray[] {
  const decoded = edits.map((edit) => ({ layer: edit.layer, runs: readRuns(edit.runs) }));
  let layerCount = layers.length;
  for (const { layer, runs } of decoded) {
    if (layer > layerCount) throw new AxialError('IPC_INVALID_ARGUMENTS', `mask:edit: layer ${layer} does not exist (there are ${layerCount})`);
    if (layer === layerCount) layerCount++;
    for (let r = 0; r < runs.length; r += 3) {
      const start = runs[r]!;
      const count = runs[r + 1]!;
      if (start + count > voxelCount) throw new AxialError('IPC_INVALID_ARGUMENTS', `mask:edit: a run (${start}+${count}) leaves the volume (${voxelCount} voxels)`);
      if (runs[r + 2]! > 65535) throw new AxialError('IPC_INVALID_ARGUMENTS', `mask:edit: label ${runs[r + 2]} is above 65535`);
    }
  }
  const out = [...layers];
  for (const { layer, runs } of decoded) {
    let labels = out[layer] ?? new Uint8Array(voxelCount);
    if (labels instanceof Uint8Array && maxValue(runs) > 255) labels = Uint16Array.from(labels);
    for (let r = 0; r < runs.length; r += 3) labels.fill(runs[r + 2]!, runs[r]!, runs[r]! + runs[r + 1]!);
    out[layer] = labels;
  }
  return out;
}

/** The (start, count, value) triples of an edit's little-endian bytes. */
export function readRuns(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const runs = new Uint32Array(bytes.byteLength >>> 2);
  for (let n = 0; n < runs.length; n++) runs[n] = view.getUint32(n * 4, true);
  return runs;
}

function maxValue(runs: Uint32Array): number {
  let max = 0;
  for (let r = 2; r < runs.length; r += 3) if (runs[r]! > max) max = runs[r]!;
  return max;
}
