import { useCallback, useMemo, useRef } from 'react';
import { obliquePlanes } from '../geometry/obliquePlanes.js';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import { isIdentityRotation } from '../geometry/rotateAbout.js';
import type { ViewPlane } from '../geometry/ViewPlane.js';
import { viewNames, type ViewName } from '../geometry/types.js';
import { type Vec3 } from '../../core/geometry/types.js';
import { crosshairPoint, type SlabSettings } from './mprState.js';
import type { ViewerAction, ViewerState } from './viewerState.js';

/** What a Viewport needs of the MPR state: its plane, the others' (for its crosshair lines), its slab and the MPR callbacks. */
export interface ViewportMpr {
  /** The plane this view shows; the same object while it is unchanged. */
  readonly plane: ViewPlane;
  /** The plane is the standard one through the cursor voxel. */
  readonly standard: boolean;
  /** Some plane is turned: the crosshair is a continuous point then, not a voxel. */
  readonly rotated: boolean;
  readonly planes: Readonly<Record<ViewName, ViewPlane>>;
  /** The crosshair's continuous voxel index. */
  readonly point: Vec3;
  readonly slab: SlabSettings;
  readonly onPoint: (index: Vec3) => void;
  /** Turns the crosshair in a view by an angle in radians, clockwise on screen. */
  readonly onRotate: (view: ViewName, angle: number) => void;
  readonly onStatus: (message: string) => void;
}

/**
 * Every view's MPR props from the viewer state. A plane equal in value to
 * the one before keeps its object, so a view whose plane did not move is not
 * resampled when the crosshair moves in another.
 */
export function useMprViews(
  state: Pick<ViewerState, 'volume' | 'mpr' | 'cursor'>,
  axes: Readonly<Record<ViewName, PlaneAxes>> | null,
  dispatch: (action: ViewerAction) => void,
): Record<ViewName, ViewportMpr> | null {
  const previous = useRef<Partial<Record<ViewName, ViewPlane>>>({});
  const onPoint = useCallback((index: Vec3) => dispatch({ type: 'mprPoint', index }), [dispatch]);
  const onRotate = useCallback((view: ViewName, angle: number) => dispatch({ type: 'mprRotate', view, angle }), [dispatch]);
  const onStatus = useCallback((message: string) => dispatch({ type: 'status', message }), [dispatch]);
  const { volume, mpr, cursor } = state;
  const point = crosshairPoint(mpr, cursor);
  const planes = useMemo(() => {
    if (!volume || !axes) return null;
    const next = obliquePlanes({ geometry: volume.header, axes, rotation: mpr.rotation, point, cursor });
    for (const view of viewNames) {
      const before = previous.current[view];
      if (before && samePlane(before, next[view].plane)) next[view] = { ...next[view], plane: before };
      previous.current[view] = next[view].plane;
    }
    return next;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- point is a new array on every render; its three values are the dependency.
  }, [volume, axes, mpr.rotation, cursor, point[0], point[1], point[2]]);
  return useMemo(() => {
    if (!planes) return null;
    const rotated = !isIdentityRotation(mpr.rotation);
    const all = { axial: planes.axial.plane, coronal: planes.coronal.plane, sagittal: planes.sagittal.plane };
    const of = (view: ViewName): ViewportMpr => ({
      plane: planes[view].plane,
      standard: planes[view].standard,
      rotated,
      planes: all,
      point,
      slab: mpr.slabs[view],
      onPoint,
      onRotate,
      onStatus,
    });
    return { axial: of('axial'), coronal: of('coronal'), sagittal: of('sagittal') };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- point is a new array each render; planes changes whenever its values do.
  }, [planes, mpr.rotation, mpr.slabs, onPoint, onRotate, onStatus]);
}

/** Whether two planes are equal to 1e-9 voxel (so the one drawn can stay). */
function samePlane(a: ViewPlane, b: ViewPlane): boolean {
  // Rounding in the plane maths moves an unchanged plane by ~1e-13 voxel: not a change worth resampling for.
  const same = (u: Vec3, v: Vec3): boolean => Math.abs(u[0] - v[0]) < 1e-9 && Math.abs(u[1] - v[1]) < 1e-9 && Math.abs(u[2] - v[2]) < 1e-9;
  return (
    a.rows === b.rows &&
    a.columns === b.columns &&
    same(a.origin, b.origin) &&
    same(a.columnStep, b.columnStep) &&
    same(a.rowStep, b.rowStep) &&
    same(a.normalStep, b.normalStep) &&
    a.columnSpacing === b.columnSpacing &&
    a.rowSpacing === b.rowSpacing &&
    a.normalSpacing === b.normalSpacing &&
    a.markers.left === b.markers.left &&
    a.markers.top === b.markers.top
  );
}
