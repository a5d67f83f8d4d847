import { createInverter, type Inverter, type InverterOptions } from '../inference/createInverter.js';
import type { LeaderPlane } from '../inference/LeaderPlane.js';
import type { SpatialInverse } from '../pipeline/preprocessVolume.js';

/** Invertd then AsDiscreted(threshold) for each sigmoid channel on its own: one 0/1 mask per channel. */
export interface MaskInverter {
  onPlane(k: number, plane: Float32Array): void;
  onLeaders(k: number, plane: LeaderPlane): void;
  /** Every channel's mask on the oriented source grid (i fastest), in channel order. */
  finish(): Uint8Array[];
}

/**
 * For sigmoid outputs, whose channels overlap: each network plane's C channels go to C single-channel
 * inverters (interpolated as Invertd does, then `probability >= threshold`, MONAI's AsDiscrete), so a voxel
 * may be in several channels' masks, where one label map would keep only one.
 */
export function createMaskInverter(
  inverse: SpatialInverse,
  channels: number,
  options: Pick<InverterOptions, 'interpolation'> & { readonly threshold: number },
): MaskInverter {
  const inverters: Inverter[] = Array.from({ length: channels }, () =>
    createInverter(inverse, { channels: 1, interpolation: options.interpolation, discrete: { kind: 'threshold', value: options.threshold } }),
  );
  const area = inverse.networkDimensions[0] * inverse.networkDimensions[1];
  return {
    onPlane(k, plane) {
      inverters.forEach((inverter, c) => inverter.onPlane(k, plane.subarray(c * area, (c + 1) * area)));
    },
    onLeaders() {
      throw new Error('sigmoid channels are never stored as softmax leaders');
    },
    finish: () => inverters.map((inverter) => inverter.finish() as Uint8Array),
  };
}
