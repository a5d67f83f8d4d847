import { nearestWorldAxes } from './nearestWorldAxes.js';
import { orientationLabel } from './orientationLabel.js';
import type { ViewName } from './types.js';
import type { Axis, Vec3, VolumeGeometry } from '../../core/geometry/types.js';
import { cross, dot, unit } from '../../core/geometry/vec3.js';

/** Letters at the four screen edges, e.g. `{ left: 'R', right: 'L', top: 'A', bottom: 'P' }` for an axial view. */
export interface OrientationMarkers {
  readonly left: string;
  readonly right: string;
  readonly top: string;
  readonly bottom: string;
}

/**
 * How a view lays a volume's index axes on the screen. Screen pixel (row,
 * column) of slice s is voxel index v with
 * `v[columnAxis] = columnFlip ? columns − 1 − column : column`,
 * `v[rowAxis] = rowFlip ? rows − 1 − row : row`, `v[sliceAxis] = s`.
 */
export interface PlaneAxes {
  readonly view: ViewName;
  readonly dimensions: Vec3;
  readonly columnAxis: Axis;
  readonly columnFlip: boolean;
  readonly rowAxis: Axis;
  readonly rowFlip: boolean;
  readonly sliceAxis: Axis;
  readonly columns: number;
  readonly rows: number;
  readonly slices: number;
  /** Distance (mm) between neighbouring columns, i.e. a pixel's width. */
  readonly columnSpacing: number;
  /** Distance (mm) between neighbouring rows, i.e. a pixel's height. */
  readonly rowSpacing: number;
  /**
   * Distance (mm) between neighbouring slices, across them: on a sheared grid (a gantry-tilted CT) the slice
   * step leans across the slices and is longer (2 mm slices 15° tilted step 2/cos 15° = 2.07 mm).
   */
  readonly sliceSpacing: number;
  /** LPS unit vectors of screen +x (rightwards) and +y (downwards) as the volume actually runs. */
  readonly screenRight: Vec3;
  readonly screenDown: Vec3;
  /** Index step along the slice axis that moves towards superior (axial), anterior (coronal) or the patient's left (sagittal). */
  readonly sliceForward: 1 | -1;
  readonly markers: OrientationMarkers;
}

interface ScreenConvention {
  /** World axis and sign (in LPS) that screen +x, screen +y and "forward" should follow. */
  readonly right: readonly [Axis, 1 | -1];
  readonly down: readonly [Axis, 1 | -1];
  readonly forward: readonly [Axis, 1 | -1];
}

/**
 * Radiological convention, in LPS (+x = patient's left, +y = posterior, +z = superior):
 * axial seen from the feet (patient's right on screen left, anterior up),
 * coronal seen from the front (right on screen left, superior up),
 * sagittal seen from the patient's left (anterior on screen left, superior up).
 */
const conventions: Record<ViewName, ScreenConvention> = {
  axial: { right: [0, 1], down: [1, 1], forward: [2, 1] },
  coronal: { right: [0, 1], down: [2, -1], forward: [1, -1] },
  sagittal: { right: [1, 1], down: [2, -1], forward: [0, 1] },
};

/**
 * Works out which index axes span a view's screen and which is its slice
 * axis, from the direction cosines: each index axis is paired with its
 * nearest world axis, so a permuted or oblique volume still shows its
 * nearest-to-axial index plane in the axial view. Flips make the screen
 * follow the radiological convention; the orientation markers come from the
 * real (possibly oblique) screen directions.
 */
export function planeAxes(geometry: VolumeGeometry, view: ViewName): PlaneAxes {
  const { dimensions, spacing, direction } = geometry;
  const nearest = nearestWorldAxes(direction);
  const convention = conventions[view];
  const pick = ([worldAxis, wanted]: readonly [Axis, 1 | -1]) => {
    const axis = nearest.indexAxisOf[worldAxis];
    return { axis, flip: nearest.sign[axis] !== wanted };
  };
  const column = pick(convention.right);
  const row = pick(convention.down);
  const slice = pick(convention.forward);
  const screenRight = scaled(direction[column.axis], column.flip ? -1 : 1);
  const screenDown = scaled(direction[row.axis], row.flip ? -1 : 1);
  // The slice axis's cosine with the slices' normal: 1 but for rounding on an unsheared grid, where the spacing stays exact.
  const cosine = Math.abs(dot(direction[slice.axis], unit(cross(screenRight, screenDown))));
  return {
    view,
    dimensions,
    columnAxis: column.axis,
    columnFlip: column.flip,
    rowAxis: row.axis,
    rowFlip: row.flip,
    sliceAxis: slice.axis,
    columns: dimensions[column.axis],
    rows: dimensions[row.axis],
    slices: dimensions[slice.axis],
    columnSpacing: spacing[column.axis],
    rowSpacing: spacing[row.axis],
    sliceSpacing: cosine > 1 - 1e-12 ? spacing[slice.axis] : spacing[slice.axis] * cosine,
    screenRight,
    screenDown,
    sliceForward: slice.flip ? -1 : 1,
    markers: {
      left: orientationLabel(scaled(screenRight, -1)),
      right: orientationLabel(screenRight),
      top: orientationLabel(scaled(screenDown, -1)),
      bottom: orientationLabel(screenDown),
    },
  };
}

function scaled(v: Vec3, factor: number): Vec3 {
  return [v[0] * factor, v[1] * factor, v[2] * factor];
}
