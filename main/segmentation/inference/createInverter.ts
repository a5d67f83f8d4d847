import type { SpatialInverse } from '../pipeline/preprocessVolume.js';

export interface InverterOptions {
  readonly channels: number;
  /** Interpolate probabilities (Invertd with nearest_interp false after a bilinear Spacingd) or take the nearest. */
  readonly interpolation: 'linear' | 'nearest';
  /** argmax over channels, or per-channel threshold (label = 1 + last channel at or above it). */
  readonly discrete: { readonly kind: 'argmax' } | { readonly kind: 'threshold'; readonly value: number };
}

export interface Inverter {
  /** Takes network planes in ascending k (C planes of I×J, i fastest); the buffer may be reused by the caller afterwards. */
  onPlane(k: number, plane: Float32Array): void;
  /** The label map on the oriented source grid (i fastest). */
  finish(): Uint8Array | Uint16Array;
}

interface AxisSamples {
  readonly lower: Int32Array;
  readonly lowerWeight: Float32Array;
  readonly upperWeight: Float32Array;
}

/**
 * Invertd then AsDiscreted, streamed: each oriented-source plane is computed
 * as soon as the one or two network planes it lies between have arrived, so
 * full-resolution probabilities for every class are never held at once.
 * Network voxels outside the network grid (the inverse of a crop) count as 0.
 */
export function createInverter(inverse: SpatialInverse, options: InverterOptions): Inverter {
  const [si, sj, sk] = inverse.orientedDimensions;
  const [di, dj, dk] = inverse.networkDimensions;
  const axes = [0, 1, 2].map((a) => axisSamples(inverse, a, options.interpolation));
  const [ax, ay, az] = axes as [AxisSamples, AxisSamples, AxisSamples];
  const labels = options.channels > 256 ? new Uint16Array(si * sj * sk) : new Uint8Array(si * sj * sk);
  const planeValues = options.channels * di * dj;
  const held = new Map<number, Float32Array>();
  const values = new Float32Array(options.channels);
  let nextSource = 0;
  const lastNeeded = (l: number): number => {
    const lo = az.lower[l]!;
    const hi = az.upperWeight[l]! > 0 ? lo + 1 : lo;
    return Math.min(Math.max(hi, az.lowerWeight[l]! > 0 ? lo : -1), dk - 1);
  };
  const emitSourcePlane = (l: number): void => {
    const lo = az.lower[l]!;
    const planes = [held.get(lo), held.get(lo + 1)];
    const weights = [az.lowerWeight[l]!, az.upperWeight[l]!];
    for (let j = 0; j < sj; j++) {
      for (let i = 0; i < si; i++) {
        values.fill(0);
        for (let z = 0; z < 2; z++) {
          const plane = planes[z];
          if (!plane || weights[z] === 0) continue;
          for (let y = 0; y < 2; y++) {
            const wy = y === 0 ? ay.lowerWeight[j]! : ay.upperWeight[j]!;
            if (wy === 0) continue;
            for (let x = 0; x < 2; x++) {
              const wx = x === 0 ? ax.lowerWeight[i]! : ax.upperWeight[i]!;
              if (wx === 0) continue;
              const w = weights[z]! * wy * wx;
              const at = ax.lower[i]! + x + di * (ay.lower[j]! + y);
              for (let c = 0; c < options.channels; c++) values[c] = values[c]! + w * plane[c * di * dj + at]!;
            }
          }
        }
        labels[i + si * (j + sj * l)] = discretize(values, options.discrete);
      }
    }
  };
  const drain = (available: number): void => {
    while (nextSource < sk && lastNeeded(nextSource) <= available) emitSourcePlane(nextSource++);
  };
  return {
    onPlane(k, plane) {
      held.set(k, plane.slice(0, planeValues));
      held.delete(k - 2);
      drain(k);
    },
    finish() {
      drain(dk - 1);
      held.clear();
      return labels;
    },
  };
}

function discretize(values: Float32Array, discrete: InverterOptions['discrete']): number {
  if (discrete.kind === 'threshold') {
    for (let c = values.length - 1; c >= 0; c--) if (values[c]! >= discrete.value) return c + 1;
    return 0;
  }
  let best = 0;
  for (let c = 1; c < values.length; c++) if (values[c]! > values[best]!) best = c;
  return best;
}

/**
 * For each oriented-source index along an axis: the network index below it and
 * the two weights (0 for a neighbour outside the network grid, as a zero pad).
 */
function axisSamples(inverse: SpatialInverse, axis: number, interpolation: 'linear' | 'nearest'): AxisSamples {
  const n = inverse.orientedDimensions[axis]!;
  const spaced = inverse.spacedDimensions[axis]!;
  const network = inverse.networkDimensions[axis]!;
  const lower = new Int32Array(n);
  const lowerWeight = new Float32Array(n);
  const upperWeight = new Float32Array(n);
  const inside = (c: number): boolean => c >= 0 && c < network;
  for (let s = 0; s < n; s++) {
    const u = Math.min(Math.max(s * inverse.scale[axis]!, 0), spaced - 1);
    const c = u - inverse.offset[axis]!;
    if (interpolation === 'nearest') {
      const r = Math.round(c);
      lower[s] = r;
      lowerWeight[s] = inside(r) ? 1 : 0;
      continue;
    }
    const f = Math.floor(c);
    const w = c - f;
    lower[s] = f;
    lowerWeight[s] = inside(f) ? 1 - w : 0;
    upperWeight[s] = w > 0 && inside(f + 1) ? w : 0;
  }
  return { lower, lowerWeight, upperWeight };
}
