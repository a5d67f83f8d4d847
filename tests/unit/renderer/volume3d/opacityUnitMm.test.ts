import { describe, expect, it } from 'vitest';
import { opacityUnitMm } from '../../../../renderer/volume3d/opacityUnitMm.js';
import { stepOpacity } from '../../../../renderer/volume3d/transferTable.js';

describe('opacityUnitMm', () => {
  it('keeps 1 mm on a grid 10 cm or more across, whatever its voxels', () => {
    expect(opacityUnitMm([512, 512, 20], [0.9765625, 0.9765625, 2])).toBe(1);
    expect(opacityUnitMm([200, 200, 200], [0.5, 0.5, 0.5])).toBe(1);
    // 96 mm across its widest axis, though 20 mm deep.
    expect(opacityUnitMm([96, 96, 10], [1, 1, 2])).toBeCloseTo(0.96, 12);
  });

  it('scales with a smaller grid, so a micro-CT specimen is as opaque as a 10 cm grid would be', () => {
    // 64³ at 20 µm: 1.28 mm across.
    const unit = opacityUnitMm([64, 64, 64], [0.02, 0.02, 0.02]);
    expect(unit).toBeCloseTo(0.0128, 12);
    // The grey window's 0.08 per unit across the whole specimen, one voxel per step:
    const across = (stepMm: number): number => 1 - (1 - stepOpacity(0.08, stepMm / unit)) ** 64;
    expect(across(0.02)).toBeCloseTo(1 - 0.92 ** 100, 9); // 99.98 %, as 10 cm of it
    expect(1 - (1 - stepOpacity(0.08, 0.02)) ** 64).toBeCloseTo(0.1, 1); // per mm it was 10 %
  });
});
