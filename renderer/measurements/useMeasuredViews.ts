import { useMemo } from 'react';
import type { ViewPlane } from '../geometry/ViewPlane.js';
import { viewNames, type ViewName } from '../geometry/types.js';
import { slabLabel } from '../reslice/slabLabel.js';
import type { ViewportMpr } from '../state/useMprViews.js';

/** What the measurements need to know of the views now (useMeasurements' Params). */
export interface MeasuredViews {
  /** The views showing their standard plane: a shape drawn in another is named "… oblique" (roiScopeOf). */
  readonly standardViews: readonly ViewName[];
  /** The planes that views on screen show as a thick slab (MIP, MinIP, mean): an ROI on one counts the centre slice. */
  readonly slabPlanes: readonly ViewPlane[];
}

type MprView = Pick<ViewportMpr, 'plane' | 'standard' | 'slab'>;

const none: MeasuredViews = { standardViews: [], slabPlanes: [] };

/**
 * {@link measuredViewsOf}, each array kept while its values are: the measurement labels redraw when these
 * change, not whenever the crosshair moves.
 */
export function useMeasuredViews(views: Readonly<Record<ViewName, MprView>> | null, shown: readonly ViewName[]): MeasuredViews {
  const now = views ? measuredViewsOf(views, shown) : none;
  const standardKey = now.standardViews.join(' ');
  const [first, second, third] = now.slabPlanes;
  const standardViews = useMemo(() => (standardKey ? (standardKey.split(' ') as ViewName[]) : []), [standardKey]);
  const slabPlanes = useMemo(() => [first, second, third].filter((plane) => plane !== undefined), [first, second, third]);
  return { standardViews, slabPlanes };
}

/**
 * Which views show their standard plane (the `standard` the MPR gives them, not a guess from the plane's
 * steps: a plane turned 90° can step along index axes and still cut between voxels), and the planes of the
 * views on screen (`shown`: a layout of one view hides the others) whose slab takes more than one sample.
 */
export function measuredViewsOf(views: Readonly<Record<ViewName, MprView>>, shown: readonly ViewName[]): MeasuredViews {
  const slabbed = (view: ViewName): boolean => shown.includes(view) && slabLabel(views[view].slab, views[view].plane.normalSpacing).samples > 1;
  return { standardViews: viewNames.filter((view) => views[view].standard), slabPlanes: viewNames.filter(slabbed).map((view) => views[view].plane) };
}
