import type { Vec3 } from '../../core/geometry/types.js';

/** A grid at least this wide (mm) takes the presets' opacities per millimetre, as they were tuned on patients. */
const patientWidthMm = 100;

/**
 * The ray length (mm) a preset's or segment's opacity is for: 1 mm on a
 * grid 10 cm or more across; on a smaller one (a mouse, a micro-CT
 * specimen) that length scaled down with the grid, so the specimen is as
 * opaque as a 10 cm grid would be instead of near-invisible (a 1.3 mm
 * specimen at 0.08 per mm lets 90 % of the light through).
 */
export function opacityUnitMm(dimensions: Vec3, spacing: Vec3): number {
  const widest = Math.max(dimensions[0] * spacing[0], dimensions[1] * spacing[1], dimensions[2] * spacing[2]);
  return Math.min(1, widest / patientWidthMm);
}
