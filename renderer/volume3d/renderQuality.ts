import type { Vec3 } from '../../core/geometry/types.js';

/** 'full' when the picture is still; 'reduced' while the user turns, zooms or pans it. */
export type Quality = 'full' | 'reduced';

/** Ray step as a multiple of the smallest voxel spacing, per quality. */
export const stepVoxels: Readonly<Record<Quality, number>> = { full: 1, reduced: 2 };

/** How long after the last drag, wheel or label change the full picture is drawn. */
export const idleMs = 250;

/** What a reduced frame should cost at most, when the full one's cost is known. */
export const reducedTargetMs = 60;

/** Canvas pixels per device pixel while reduced: at most half each way, never under a fifth. */
const reducedRange = { max: 0.5, min: 0.2 } as const;

/** The ray step in mm for a quality on a grid of `spacing`. */
export function stepMmOf(quality: Quality, spacing: Vec3): number {
  return stepVoxels[quality] * Math.min(spacing[0], spacing[1], spacing[2]);
}

/**
 * Canvas pixels per device pixel while the user drags. Software rendering
 * (SwiftShader) runs the ray caster on the CPU, where a frame costs about
 * pixels × samples; so from the last full frame's cost, the resolution that
 * brings a reduced frame (twice the step) near `reducedTargetMs`, within
 * [1/5, 1/2]. Half each way until a full frame has been timed.
 */
export function reducedResolution(lastFullMs: number | null): number {
  if (lastFullMs === null || !(lastFullMs > 0)) return reducedRange.max;
  const scale = Math.sqrt((reducedTargetMs * stepVoxels.reduced) / lastFullMs);
  return Math.min(reducedRange.max, Math.max(reducedRange.min, scale));
}

/** The canvas's pixel size for an element of cssWidth × cssHeight CSS px at `resolution` canvas pixels per device pixel. */
export function canvasSizeOf(cssWidth: number, cssHeight: number, devicePixelRatio: number, resolution: number): { width: number; height: number } {
  const scale = devicePixelRatio * resolution;
  return { width: Math.max(1, Math.round(cssWidth * scale)), height: Math.max(1, Math.round(cssHeight * scale)) };
}
