import { useMemo, type ReactNode } from 'react';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import { viewNames, type ViewName } from '../geometry/types.js';
import type { ViewportMpr } from '../state/useMprViews.js';
import type { ViewerState } from '../state/viewerState.js';
import { WelcomeScreen } from '../components/WelcomeScreen.js';
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
  /** Open file / Open folder from the first screen. */
  readonly onOpen: (source: 'file' | 'folder') => void;
  /** The first screen's recent studies. */
  readonly recentStudies?: ReactNode;
}

/** The views in the chosen layout (2×2 with the 3D view, 1×3, or one), or the first screen's invitation to open a study. */
export function ViewArea({ state, axes, mprViews, shown, callbacks, measurement, onActivate3d, onController3d, onOpen, recentStudies }: ViewAreaProps) {
  const { volume, voi, outline } = state;
  const { labels, maskColours } = shown;
  const picture = useMemo<ViewportPicture | null>(
    () => (volume ? { volume, voi, labels, maskColours, outline } : null),
    [volume, voi, labels, maskColours, outline],
  );
  const shownViews = state.layout === 'three' || state.layout === 'four' ? viewNames : state.active3d ? [] : [state.activeView];
  const show3d = state.layout === 'four' || (state.layout === 'one' && state.active3d);
  return (
    <div className={volume ? `views layout-${state.layout}` : 'views layout-welcome'} data-testid="views" data-layout={volume ? state.layout : 'welcome'}>
      {volume && picture && axes && mprViews ? (
        <>
          {shownViews.map((view) => (
            <Viewport
              key={view}
              view={view}
              picture={picture}
              position={{ axes: axes[view], mpr: mprViews[view], cursor: state.cursor }}
              controls={{
                tool: state.tool,
                active: !state.active3d && state.activeView === view,
                resetToken: state.resetToken,
                preview: state.segmentation?.store.preview ?? null,
              }}
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
        <WelcomeScreen onOpen={onOpen} recentStudies={recentStudies} />
      )}
    </div>
  );
}
