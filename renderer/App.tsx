import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { EditTools } from './components/EditTools.js';
import { MetadataPanel } from './components/MetadataPanel.js';
import { PresetBar } from './components/PresetBar.js';
import { Readout } from './components/Readout.js';
import { SegmentPanel } from './components/SegmentPanel.js';
import { ErrorBanner, ProgressPanel, RecoveryBanner, SeriesPicker } from './components/StatusPanels.js';
import { Toolbar } from './components/Toolbar.js';
import { labelColours } from './display/labelColours.js';
import { displayCodeOf, labelDisplayOf } from './display/labelDisplayOf.js';
import type { VoiWindow } from './display/windowPresets.js';
import { planeAxes, type PlaneAxes } from './geometry/planeAxes.js';
import { viewNames, type Vec3, type ViewName } from './geometry/types.js';
import { createHoverStore } from './state/hoverStore.js';
import { useViewerActions, type DesktopApi, type ViewerActions } from './state/useViewerActions.js';
import { initialViewerState, segmentKeyOf, viewerReducer, type ViewerAction } from './state/viewerState.js';
import type { ViewStatePublisher } from './testAid/viewStateForTests.js';
import type { SliceRenderer } from './views/sliceRenderer.js';
import { Viewport } from './views/Viewport.js';

interface AppProps {
  readonly api: DesktopApi | null;
  readonly viewState: ViewStatePublisher;
}

/** The viewer: toolbar, three linked views (or one), readout, metadata and labels. */
export function App({ api, viewState }: AppProps) {
  const [state, dispatch] = useReducer(viewerReducer, initialViewerState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const renderers = useMemo(() => new Map<ViewName, SliceRenderer>(), []);
  const hover = useMemo(() => createHoverStore(), []);
  const actions = useViewerActions({ api, dispatch, state: stateRef, renderers });
  useFileDrop(actions);
  useEditShortcuts(actions, dispatch);

  const { volume, segmentation } = state;
  const snapshot = segmentation?.snapshot ?? null;
  const axes = useMemo(() => (volume ? axesOf(volume.header) : null), [volume]);
  const labels = useMemo(() => (snapshot ? labelDisplayOf(snapshot.layers, snapshot.segments, snapshot.revision) : null), [snapshot]);
  const maskColours = useMemo(
    () =>
      labels && snapshot
        ? labelColours({
            maxLabel: labels.maxCode,
            segments: snapshot.segments.map((s) => ({ value: displayCodeOf(labels, s), colour: s.colour, visible: state.segments[segmentKeyOf(s)]?.visible ?? true })),
            opacity: state.opacity,
            outline: state.outline,
          })
        : null,
    [labels, snapshot, state.segments, state.opacity, state.outline],
  );

  useEffect(() => {
    viewState.setScene({ volumeId: volume?.header.volumeId ?? null, maskId: segmentation?.maskId ?? null, cursor: volume ? state.cursor : null });
  }, [viewState, volume, segmentation?.maskId, state.cursor]);

  const onCursor = useCallback((index: Vec3) => dispatch({ type: 'cursor', index }), []);
  const onVoi = useCallback((voi: VoiWindow) => dispatch({ type: 'voi', voi }), []);
  const onActivate = useCallback((view: ViewName) => dispatch({ type: 'activeView', view }), []);
  const onHover = useCallback((view: ViewName, index: Vec3 | null) => hover.set(index ? { view, index } : null), [hover]);
  const onRenderer = useCallback(
    (view: ViewName, renderer: SliceRenderer | null) => {
      if (renderer) renderers.set(view, renderer);
      else {
        renderers.delete(view);
        viewState.setViewport(view, null);
      }
    },
    [renderers, viewState],
  );
  const onRendered = useCallback(
    (view: ViewName, renderer: SliceRenderer, rendered: number) => {
      const scene = renderer.scene;
      if (!scene) return;
      viewState.setViewport(view, {
        view,
        rendered,
        slice: scene.slice,
        sliceAxis: scene.axes.sliceAxis,
        slices: scene.axes.slices,
        window: { center: scene.voi.center, width: scene.voi.width },
        canvas: { width: renderer.canvas.width, height: renderer.canvas.height },
        markers: scene.axes.markers,
        timing: renderer.lastTiming,
        cssFromVoxel: renderer.cssFromVoxel(),
      });
    },
    [viewState],
  );

  const shownViews = state.layout === 'three' ? viewNames : [state.activeView];
  return (
    <div className="app">
      <Toolbar
        actions={actions}
        hasVolume={volume !== null}
        hasMask={segmentation !== null}
        volumeFormat={volume?.header.format ?? null}
        running={state.job !== null}
        layout={state.layout}
        activeView={state.activeView}
        busy={state.busy}
        onLayout={(layout) => dispatch({ type: 'layout', layout })}
        onActiveView={onActivate}
        onReset={() => dispatch({ type: 'resetViews' })}
      />
      {state.error && <ErrorBanner message={state.error} onDismiss={() => dispatch({ type: 'error', message: null })} />}
      {state.recovery && <RecoveryBanner recovery={state.recovery} onRestore={actions.restoreRecovery} onDiscard={actions.discardRecovery} />}
      {state.job && <ProgressPanel job={state.job} onCancel={actions.cancelJob} />}
      {volume && <PresetBar volume={volume} voi={state.voi} onVoi={onVoi} />}
      <main className="workspace">
        <div className={`views layout-${state.layout}`}>
          {volume && axes ? (
            shownViews.map((view) => (
              <Viewport
                key={view}
                view={view}
                volume={volume}
                axes={axes[view]}
                cursor={state.cursor}
                voi={state.voi}
                labels={labels}
                maskColours={maskColours}
                tool={state.tool}
                onPaint={actions.paint}
                outline={state.outline}
                active={state.activeView === view}
                resetToken={state.resetToken}
                onCursor={onCursor}
                onVoi={onVoi}
                onHover={onHover}
                onActivate={onActivate}
                onRendered={onRendered}
                onRenderer={onRenderer}
              />
            ))
          ) : (
            <div className="empty" data-testid="empty">
              Open a scan (DICOM folder, NIfTI or NRRD), or drop one here.
            </div>
          )}
        </div>
        {volume && (
          <aside className="side">
            <MetadataPanel header={volume.header} />
            <SegmentPanel
              session={segmentation}
              segments={state.segments}
              activeSegment={state.activeSegment}
              opacity={state.opacity}
              outline={state.outline}
              units={volume.header.units}
              dispatch={dispatch}
              onEdit={actions.edit}
              onAdd={actions.addSegment}
            />
            <EditTools
              tool={state.tool}
              session={segmentation}
              activeSegment={state.activeSegment}
              planeAxis={axes ? axes[state.activeView].sliceAxis : 2}
              units={volume.header.units}
              dispatch={dispatch}
              onEdit={actions.edit}
            />
          </aside>
        )}
      </main>
      <Readout hover={hover} volume={volume} labels={snapshot} cursor={state.cursor} />
      <footer className="status" data-testid="status">
        {state.status ?? ''}
      </footer>
      {state.pickSeries && (
        <SeriesPicker
          scan={state.pickSeries}
          onPick={(index) => actions.loadSeries(state.pickSeries!.scanId, index)}
          onClose={() => dispatch({ type: 'pickSeries', scan: null })}
        />
      )}
    </div>
  );
}

function axesOf(header: Parameters<typeof planeAxes>[0]): Record<ViewName, PlaneAxes> {
  return { axial: planeAxes(header, 'axial'), coronal: planeAxes(header, 'coronal'), sagittal: planeAxes(header, 'sagittal') };
}

/**
 * Editing shortcuts anywhere but in a text field: Ctrl+Z undo, Ctrl+Shift+Z or
 * Ctrl+Y redo (Cmd on macOS), B brush, E eraser, N navigate.
 */
function useEditShortcuts(actions: ViewerActions, dispatch: (action: ViewerAction) => void): void {
  useEffect(() => {
    const keydown = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      const key = event.key.toLowerCase();
      const command = event.ctrlKey || event.metaKey;
      if (command && key === 'z') actions.edit({ type: event.shiftKey ? 'redo' : 'undo' });
      else if (command && key === 'y') actions.edit({ type: 'redo' });
      else if (command || event.altKey) return;
      else if (key === 'b') dispatch({ type: 'tool', tool: { kind: 'brush' } });
      else if (key === 'e') dispatch({ type: 'tool', tool: { kind: 'eraser' } });
      else if (key === 'n' || key === 'escape') dispatch({ type: 'tool', tool: { kind: 'navigate' } });
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', keydown);
    return () => window.removeEventListener('keydown', keydown);
  }, [actions, dispatch]);
}

/** Files dropped anywhere on the window open as a scan; the browser's own navigation to the file is prevented. */
function useFileDrop(actions: ViewerActions): void {
  useEffect(() => {
    const over = (event: DragEvent): void => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const drop = (event: DragEvent): void => {
      event.preventDefault();
      const files = event.dataTransfer ? Array.from(event.dataTransfer.files) : [];
      if (files.length > 0) actions.openDropped(files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [actions]);
}
