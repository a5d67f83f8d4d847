import type { Vec3 } from '../../../core/geometry/types.js';
import { resizeArea } from './resizeArea.js';

export interface LabelsFromLogitsParams {
  /** The network's output [C, i, j, k], k fastest. */
  readonly logits: Float32Array;
  readonly channels: number;
  /** The network grid. */
  readonly size: Vec3;
  /** The preprocessed image's grid, which Invertd brings the probabilities back to. */
  readonly dimensions: Vec3;
  readonly activation: 'softmax' | 'sigmoid' | 'none';
  /** Invertd's nearest_interp: labels resampled by nearest neighbour instead of area-averaged probabilities. */
  readonly nearest: boolean;
}

/**
 * The postprocessing of the spleen DeepEdit bundle: Activationsd (softmax), Invertd (Resized undone with its
 * own mode, "area", channel by channel), AsDiscreted(argmax). Labels are the winning channel's index, i fastest;
 * ties go to the first channel, as torch.argmax does.
 */
export function labelsFromLogits(params: LabelsFromLogitsParams): Uint8Array {
  const { logits, channels, size, dimensions } = params;
  const n = size[0] * size[1] * size[2];
  const probabilities = activate(logits, channels, n, params.activation);
  const same = size.every((s, a) => s === dimensions[a]);
  const resize = (channel: Float32Array): Float32Array =>
    same ? channel : params.nearest ? resizeNearest(channel, size, dimensions) : resizeArea(channel, size, dimensions);
  if (channels === 2) {
    // Resampling is linear, so the sign of the resampled difference is the argmax of the resampled pair, at half
    // the work (a tie, difference 0, goes to channel 0 as argmax's first maximum does).
    const difference = new Float32Array(n);
    for (let v = 0; v < n; v++) difference[v] = probabilities[n + v]! - probabilities[v]!;
    const back = resize(toIFastest(difference, size));
    const labels = new Uint8Array(back.length);
    for (let v = 0; v < back.length; v++) labels[v] = back[v]! > 0 ? 1 : 0;
    return labels;
  }
  const back: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const channel = toIFastest(probabilities.subarray(c * n, (c + 1) * n), size);
    back.push(resize(channel));
  }
  const labels = new Uint8Array(dimensions[0] * dimensions[1] * dimensions[2]);
  for (let v = 0; v < labels.length; v++) {
    let best = 0;
    for (let c = 1; c < channels; c++) if (back[c]![v]! > back[best]![v]!) best = c;
    labels[v] = best;
  }
  return labels;
}

function activate(logits: Float32Array, channels: number, n: number, activation: 'softmax' | 'sigmoid' | 'none'): Float32Array {
  if (activation === 'none') return logits;
  const out = new Float32Array(logits.length);
  for (let v = 0; v < n; v++) {
    if (activation === 'sigmoid') {
      for (let c = 0; c < channels; c++) out[c * n + v] = 1 / (1 + Math.exp(-logits[c * n + v]!));
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < channels; c++) max = Math.max(max, logits[c * n + v]!);
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += Math.exp(logits[c * n + v]! - max);
    for (let c = 0; c < channels; c++) out[c * n + v] = Math.exp(logits[c * n + v]! - max) / sum;
  }
  return out;
}

function toIFastest(data: Float32Array, [ni, nj, nk]: Vec3): Float32Array {
  const out = new Float32Array(data.length);
  let n = 0;
  for (let i = 0; i < ni; i++) {
    for (let j = 0; j < nj; j++) {
      for (let k = 0; k < nk; k++, n++) out[(k * nj + j) * ni + i] = data[n]!;
    }
  }
  return out;
}

/** torch's interpolate(mode="nearest"): output o reads input floor(o · n / m). */
function resizeNearest(data: Float32Array, from: Vec3, to: Vec3): Float32Array {
  const out = new Float32Array(to[0] * to[1] * to[2]);
  const index = (a: 0 | 1 | 2, o: number): number => Math.min(from[a] - 1, Math.floor((o * from[a]) / to[a]));
  let n = 0;
  for (let k = 0; k < to[2]; k++) {
    for (let j = 0; j < to[1]; j++) {
      const row = (index(2, k) * from[1] + index(1, j)) * from[0];
      for (let i = 0; i < to[0]; i++, n++) out[n] = data[row + index(0, i)]!;
    }
  }
  return out;
}
