import type { LabelEdit } from '../../core/contract.js';
import type { LayerRuns } from './types.js';

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The wire form of a layer's runs for `mask:edit`: the triples as
 * little-endian bytes (a view, no copy, on little-endian machines unless the runs sit in shared memory).
 */
export function toLabelEdit(edit: LayerRuns): LabelEdit {
  const { layer, runs } = edit;
  if (littleEndian && runs.buffer instanceof ArrayBuffer) return { layer, runs: new Uint8Array(runs.buffer, runs.byteOffset, runs.byteLength) };
  const bytes = new Uint8Array(runs.byteLength);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < runs.length; k++) view.setUint32(k * 4, runs[k]!, true);
  return { layer, runs: bytes };
}
