import type { VoiWindow } from '../display/windowPresets.js';

/** One control point of a transfer function: a colour (0–1) and an opacity per millimetre of ray (see opacityUnitMm) at a value. */
export interface TransferPoint {
  readonly value: number;
  readonly colour: readonly [number, number, number];
  /** Fraction of the light absorbed over 1 mm of this material (0–1); over less on a grid under 10 cm across (opacityUnitMm). */
  readonly opacity: number;
}

export type VolumePresetId = 'bone' | 'soft-tissue' | 'cta' | 'window';

export interface VolumePreset {
  readonly id: VolumePresetId;
  readonly name: string;
  /** Lambert shading from the value gradient (headlight). */
  readonly shade: boolean;
  /** Control points in ascending value; for 'window', built from the 2D views' window. */
  readonly points: (voi: VoiWindow) => readonly TransferPoint[];
}

const white: [number, number, number] = [1, 1, 1];

/**
 * The 3D view's presets. The CT ones are over HU; their opacities are per
 * mm, so they look the same at any ray step. 'window' follows the 2D
 * views' window (any modality): transparent below it, a grey ramp across it.
 */
export const volumePresets: readonly VolumePreset[] = [
  {
    id: 'bone',
    name: 'Bone',
    shade: true,
    points: () => [
      { value: 150, colour: [0.85, 0.72, 0.55], opacity: 0 },
      { value: 300, colour: [0.93, 0.85, 0.7], opacity: 0.2 },
      { value: 700, colour: [1, 0.96, 0.88], opacity: 0.55 },
      { value: 3071, colour: white, opacity: 0.85 },
    ],
  },
  {
    id: 'soft-tissue',
    name: 'Soft tissue',
    shade: true,
    points: () => [
      { value: -60, colour: [0.8, 0.5, 0.35], opacity: 0 },
      { value: 20, colour: [0.78, 0.32, 0.26], opacity: 0.02 },
      { value: 80, colour: [0.88, 0.38, 0.32], opacity: 0.06 },
      { value: 200, colour: [0.96, 0.7, 0.6], opacity: 0.1 },
      { value: 400, colour: [1, 0.95, 0.86], opacity: 0.5 },
      { value: 3071, colour: white, opacity: 0.85 },
    ],
  },
  {
    id: 'cta',
    name: 'CT angiography',
    shade: true,
    points: () => [
      { value: 110, colour: [0.6, 0.08, 0.06], opacity: 0 },
      { value: 180, colour: [0.82, 0.15, 0.1], opacity: 0.2 },
      { value: 320, colour: [0.96, 0.42, 0.3], opacity: 0.45 },
      { value: 650, colour: [1, 0.92, 0.82], opacity: 0.6 },
      { value: 3071, colour: white, opacity: 0.85 },
    ],
  },
  {
    id: 'window',
    name: 'Window (grey)',
    shade: false,
    points: (voi) => {
      const low = voi.center - voi.width / 2;
      const high = voi.center + voi.width / 2;
      return [
        { value: low, colour: [0, 0, 0], opacity: 0 },
        { value: Math.max(high, low + 1e-3), colour: white, opacity: 0.08 },
      ];
    },
  },
];

/**
 * The preset with this id.
 * @throws RangeError for an unknown id.
 */
export function volumePresetOf(id: VolumePresetId): VolumePreset {
  const preset = volumePresets.find((p) => p.id === id);
  if (!preset) throw new RangeError(`no 3D preset '${id}'`);
  return preset;
}
