import type { LabelArray } from '../../../core/labels/LabelArray.js';
import type { SpatialInverse } from '../pipeline/preprocessVolume.js';
import { axisSamples } from './axisSamples.js';

/**
 * MONAI's Invertd with nearest_interp on a label map already made on the network grid (i fastest): each oriented-source
 * voxel takes the label of the network voxel the nearest-neighbour inverter samples (so argmax then this is the
 * inverter's nearest answer), and 0 outside the network grid (the inverse of a crop pads with 0).
 */
export function invertLabels(inverse: SpatialInverse, labels: LabelArray): LabelArray {
  const [si, sj, sk] = inverse.orientedDimensions;
  const [di, dj] = inverse.networkDimensions;
  const [ax, ay, az] = [0, 1, 2].map((a) => axisSamples(inverse, a, 'nearest'));
  const out = labels instanceof Uint16Array ? new Uint16Array(si * sj * sk) : new Uint8Array(si * sj * sk);
  for (let k = 0; k < sk; k++) {
    if (az!.lowerWeight[k] === 0) continue;
    for (let j = 0; j < sj; j++) {
      if (ay!.lowerWeight[j] === 0) continue;
      const row = di * (ay!.lower[j]! + dj * az!.lower[k]!);
      const at = si * (j + sj * k);
      for (let i = 0; i < si; i++) if (ax!.lowerWeight[i] !== 0) out[at + i] = labels[row + ax!.lower[i]!]!;
    }
  }
  return out;
}
