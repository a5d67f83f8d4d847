import type { LabelEdit } from '../../core/contract.js';

/** An edit whose runs were read and checked against the volume. */
export interface CheckedEdit {
  readonly layer: number;
  /** (start, count, value) triples. */
  readonly runs: Uint32Array;
  /** Whether a value is above 255 (the layer must be uint16). */
  readonly wide: boolean;
}

export type LabelEditCheck =
  { readonly ok: true; readonly edits: readonly CheckedEdit[]; readonly layerCount: number } | { readonly ok: false; readonly problem: string };

/**
 * Checks run-length edits against a volume of `voxelCount` voxels and
 * `layerCount` label layers before any is applied: whole (start, count,
 * value) triples, every run inside the volume, every value a label, every
 * layer existing or the one after the last (which adds it). Callers decide
 * what a bad edit means: a refused IPC call, or a damaged journal record.
 * @returns the decoded edits and the layer count after them, or the first problem in words.
 */
export function checkLabelEdits(edits: readonly LabelEdit[], layerCount: number, voxelCount: number): LabelEditCheck {
  const checked: CheckedEdit[] = [];
  let layers = layerCount;
  for (const edit of edits) {
    // A triple cut short would be read as a run with an undefined end and fill the whole layer.
    if (edit.runs.byteLength % 12 !== 0)
      return { ok: false, problem: `an edit holds ${edit.runs.byteLength} bytes, not whole (start, count, value) triples of 12` };
    if (!Number.isInteger(edit.layer) || edit.layer < 0 || edit.layer > layers) {
      return { ok: false, problem: `layer ${edit.layer} does not exist (there are ${layers})` };
    }
    if (edit.layer === layers) layers++;
    const runs = readRuns(edit.runs);
    let wide = false;
    for (let r = 0; r < runs.length; r += 3) {
      const start = runs[r]!;
      const count = runs[r + 1]!;
      if (start + count > voxelCount) return { ok: false, problem: `a run (${start}+${count}) leaves the volume (${voxelCount} voxels)` };
      if (runs[r + 2]! > 65535) return { ok: false, problem: `label ${runs[r + 2]} is above 65535` };
      wide ||= runs[r + 2]! > 255;
    }
    checked.push({ layer: edit.layer, runs, wide });
  }
  return { ok: true, edits: checked, layerCount: layers };
}

/** The (start, count, value) triples of an edit's little-endian bytes. */
export function readRuns(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const runs = new Uint32Array(bytes.byteLength >>> 2);
  for (let n = 0; n < runs.length; n++) runs[n] = view.getUint32(n * 4, true);
  return runs;
}
