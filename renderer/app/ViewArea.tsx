import { useMemo } from 'react';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import { viewNames, type ViewName } from '../geometry/types.js';
import type { ViewportMpr } from '../state/useMprViews.js';
import type { ViewerState } from '../state/viewerState.js';
import { View3D } from '../views/View3D.js';
import { Viewport } from '../views/Viewport.js';
import type { ViewportCallbacks, ViewportMeasurement, ViewportPicture } from '../views/ViewportProps.js';
import type { View3dController } from '../volume3d/View3dController.js';
import type { ShownLabels } from './useShownLabels.js';

interface ViewAreaProps {
  readonly state: ViewerState;
  /** Each view's standard axes; null without a volume. */
  readonly axes: Readonly<Record<ViewName, PlaneAxes>> | null;
  readonly mprViews: Readonly<Record<ViewName, ViewportMpr>> | null;
  readonly shown: ShownLabels;
  readonly callbacks: ViewportCallbacks;
  readonly measurement: ViewportMeasurement;
  readonly onActivate3d: () => void;
  /** The 3D view's controller once it draws (null when it goes), for PNG export. */
  readonly onController3d: (controller: View3dController | null) => void;
}

/** The views in the chosen layout (three, one, or three and the 3D view), or the invitation to open a scan. */
export function ViewArea({ state, axes, mprViews, shown, callbacks, measurement, onActivate3d, onController3d }: ViewAreaProps) {
  const { volume, voi, outline } = state;
  const { labels, maskColours } = shown;
  const picture = useMemo<ViewportPicture | null>(
    () => (volume ? { volume, voi, labels, maskColours, outline } : null),
    [volume, voi, labels, maskColours, outline],
  );
  const shownViews = state.layout === 'three' || state.layout === 'four' ? viewNames : state.active3d ? [] : [state.activeView];
  const show3d = state.layout === 'four' || (state.layout === 'one' && state.active3d);
  return (
    <div className={`views layout-${state.layout}`}>
      {volume && picture && axes && mprViews ? (
        <>
          {shownViews.map((view) => (
            <Viewport
              key={view}
              view={view}
              picture={picture}
              position={{ axes: axes[view], mpr: mprViews[view], cursor: state.cursor }}
              controls={{ tool: state.tool, active: !state.active3d && state.activeView === view, resetToken: state.resetToken }}
              callbacks={callbacks}
              measurement={measurement}
            />
          ))}
          {show3d && (
            <View3D
              volume={volume}
              labels={labels}
              maskColours={maskColours}
              voi={voi}
              active={state.active3d}
              resetToken={state.resetToken}
              onActivate={onActivate3d}
              onController={onController3d}
            />
          )}
        </>
      ) : (
        <div className="empty" data-testid="empty">
          Open a scan (DICOM folder, NIfTI or NRRD), or drop one here.
        </div>
      )}
    </div>
  );
}
