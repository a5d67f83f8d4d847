import { describe, expect, it } from 'vitest';
import { scaleBarOf } from '../../../../../renderer/views/overlays/scaleBarOf.js';

describe('scaleBarOf', () => {
  it('takes the longest 1, 2 or 5 × 10^n mm that fits 22 % of the width', () => {
    // A 512-pixel, 0.977 mm CT fitted to 500 px: 1.0 px/mm, room 110 px -> 10 cm.
    expect(scaleBarOf(500 / (512 * 0.9765625), 500)).toEqual({ mm: 100, px: 100, label: '10 cm' });
    // 2 px/mm in 400 px: room 88 px -> 4 cm does not exist, 2 cm = 40 px.
    expect(scaleBarOf(2, 400)).toEqual({ mm: 20, px: 40, label: '2 cm' });
    // Zoomed to 30 px/mm: 5 mm = 150 px fits 1000 × 0.22 = 220.
    expect(scaleBarOf(30, 1000)).toEqual({ mm: 5, px: 150, label: '5 mm' });
    expect(scaleBarOf(0.5, 1200)!.label).toBe('50 cm');
  });

  it('goes below 1 mm in micrometres, for a micro-CT specimen', () => {
    // 64 voxels of 20 µm fitted to 341 px: 266 px/mm, room 75 px -> 200 µm = 53 px.
    const bar = scaleBarOf(341 / (64 * 0.02), 341)!;
    expect(bar.label).toBe('200 µm');
    expect(bar.px).toBeCloseTo(53.3, 1);
    expect(scaleBarOf(3000, 400)).toEqual({ mm: 0.02, px: 60, label: '20 µm' });
  });

  it('says nothing when no round length reaches 24 px within the room, or the scale is unknown', () => {
    expect(scaleBarOf(0.2, 400)).toEqual({ mm: 200, px: 40, label: '20 cm' });
    expect(scaleBarOf(0.04, 400)).toBeNull(); // 50 cm would be 20 px
    expect(scaleBarOf(30, 100)).toBeNull(); // room 22 px: 500 µm would be 15 px
    expect(scaleBarOf(0, 400)).toBeNull();
    expect(scaleBarOf(Number.NaN, 400)).toBeNull();
  });
});
