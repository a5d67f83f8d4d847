import { describe, expect, it } from 'vitest';
import { canvasSizeOf, reducedResolution, reducedTargetMs, stepMmOf } from '../../../../renderer/volume3d/renderQuality.js';

describe('renderQuality', () => {
  it('steps one smallest voxel spacing at full quality and two while reduced', () => {
    expect(stepMmOf('full', [0.9765625, 0.9765625, 2])).toBe(0.9765625);
    expect(stepMmOf('reduced', [3, 0.9, 1.1])).toBeCloseTo(1.8, 12);
  });

  it('sizes reduced frames from the last full frame: half each way when cheap, down to a fifth when slow', () => {
    expect(reducedResolution(null)).toBe(0.5);
    expect(reducedResolution(50)).toBe(0.5);
    // A full frame of 8 × target ms: a quarter of the pixels at twice the step is 1/8 → resolution 1/2 exactly.
    expect(reducedResolution(8 * reducedTargetMs)).toBeCloseTo(0.5, 12);
    expect(reducedResolution(32 * reducedTargetMs)).toBeCloseTo(0.25, 12);
    expect(reducedResolution(1e7)).toBe(0.2);
  });

  it('gives the canvas whole pixels, at least one', () => {
    expect(canvasSizeOf(482, 308, 1, 1)).toEqual({ width: 482, height: 308 });
    expect(canvasSizeOf(482, 308, 2, 0.5)).toEqual({ width: 482, height: 308 });
    expect(canvasSizeOf(483, 307, 1, 0.5)).toEqual({ width: 242, height: 154 });
    expect(canvasSizeOf(0, 0, 1, 0.2)).toEqual({ width: 1, height: 1 });
  });
});
