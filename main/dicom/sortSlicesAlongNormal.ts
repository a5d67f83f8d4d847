import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import type { DicomSlice } from './DicomSeries.js';
import { cross, dot, scale, subtract, unit } from '../../core/geometry/vec3.js';

export interface SortedSlices {
  readonly slices: DicomSlice[];
  readonly spacing: Vec3;
  readonly origin: Vec3;
  readonly direction: Mat3;
  readonly warnings: string[];
}

const degrees = 180 / Math.PI;

/**
 * Sorts slices by the projection of ImagePositionPatient on the slice normal
 * and derives the volume's geometry. The k axis runs from the first slice to
 * the last, so a gantry tilt gives a sheared affine, kept as it is (no
 * resampling), and a warning. Gaps and uneven spacing are warnings too.
 */
export function sortSlicesAlongNormal(input: readonly DicomSlice[]): SortedSlices {
  const first = input[0]!;
  const o = first.geometry.orientation;
  const row = unit([o[0], o[1], o[2]]);
  const column = unit([o[3], o[4], o[5]]);
  const normal = unit(cross(row, column));
  const slices = [...input].sort((a, b) => dot(a.geometry.position, normal) - dot(b.geometry.position, normal));
  // An enhanced object's frame may give its own (groupIntoSeries keeps frames of other spacings apart).
  const [rowSpacing, columnSpacing] = first.geometry.pixelSpacing ?? first.instance.pixelSpacing;
  const warnings: string[] = [];
  const origin = slices[0]!.geometry.position;
  if (slices.length === 1) {
    const thickness = first.instance.spacingBetweenSlices ?? first.instance.sliceThickness ?? 1;
    return { slices, spacing: [columnSpacing, rowSpacing, thickness], origin, direction: [row, column, normal], warnings };
  }
  const last = slices[slices.length - 1]!.geometry.position;
  const step = scale(subtract(last, origin), 1 / (slices.length - 1));
  const stepLength = Math.hypot(...step);
  const kAxis = scale(step, 1 / stepLength);
  const tilt = Math.acos(Math.min(1, Math.abs(dot(kAxis, normal)))) * degrees;
  if (tilt > 0.01) {
    warnings.push(`gantry tilt of ${tilt.toFixed(2)}°: the affine is kept sheared, voxels are not resampled`);
  }
  warnings.push(...spacingWarnings(slices, normal, stepLength));
  return { slices, spacing: [columnSpacing, rowSpacing, stepLength], origin, direction: [row, column, kAxis], warnings };
}

/** Gaps and uneven spacing along the normal; `stepLength` is the volume's slice step (longer than the normal's under a tilt). */
function spacingWarnings(slices: readonly DicomSlice[], normal: Vec3, stepLength: number): string[] {
  const positions = slices.map((s) => dot(s.geometry.position, normal));
  const gaps = positions.slice(1).map((p, i) => p - positions[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const warnings: string[] = [];
  // The volume's slices are evenly spaced from the first to the last: how far that puts a slice from its file's position.
  const step = (positions[positions.length - 1]! - positions[0]!) / (positions.length - 1);
  const misplaced = Math.max(...positions.map((p, k) => Math.abs(p - (positions[0]! + k * step))));
  const placed = `the volume spaces them evenly (${stepLength.toFixed(3)} mm), placing slices up to ${misplaced.toFixed(2)} mm from their positions`;
  const missing = gaps.flatMap((g, i) => (g > 1.5 * median ? [`${g.toFixed(2)} mm after slice ${i + 1}`] : []));
  if (missing.length > 0) {
    warnings.push(`gap in the slices (usual spacing ${median.toFixed(3)} mm): ${missing.slice(0, 5).join('; ')}; ${placed}`);
  }
  const low = sorted[0]!;
  const high = sorted[sorted.length - 1]!;
  if (missing.length === 0 && high - low > Math.max(0.01, 0.01 * median)) {
    warnings.push(`uneven slice spacing, from ${low.toFixed(3)} to ${high.toFixed(3)} mm; ${placed}`);
  }
  return warnings;
}
