import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { CineControls } from './components/CineControls.js';
import { EditTools } from './components/EditTools.js';
import { MeasurementPanel } from './components/MeasurementPanel.js';
import { HelpPanel } from './components/HelpPanel.js';
import { MetadataPanel } from './components/MetadataPanel.js';
import { MprControls } from './components/MprControls.js';
import { PresetBar } from './components/PresetBar.js';
import { Readout } from './components/Readout.js';
import { SegmentPanel } from './components/SegmentPanel.js';
import { ErrorBanner, ProgressPanel, RecoveryBanner, SeriesPicker } from './components/StatusPanels.js';
import { Toolbar } from './components/Toolbar.js';
import { UnsavedDialog } from './components/UnsavedDialog.js';
import { labelColours } from './display/labelColours.js';
import { displayCodeOf, labelDisplayOf } from './display/labelDisplayOf.js';
import type { VoiWindow } from './display/windowPresets.js';
import { planeAxes, type PlaneAxes } from './geometry/planeAxes.js';
import { viewNames, type ViewName } from './geometry/types.js';
import { type Vec3 } from '../core/geometry/types.js';
import { useMeasurements } from './measurements/useMeasurements.js';
import { createHoverStore } from './state/hoverStore.js';
import { createPromptStore } from './state/createPromptStore.js';
import { useCine } from './state/useCine.js';
import { useShortcuts } from './actions/useShortcuts.js';
import { useUnsavedUnloadGuard } from './state/useUnsavedUnloadGuard.js';
import { useMprShortcuts } from './actions/useMprShortcuts.js';
import { useMprViews } from './state/useMprViews.js';
import { useViewerActions, type ViewerActions } from './actions/useViewerActions.js';
import { type DesktopApi } from './api/DesktopApi.js';
import { initialViewerState, viewerReducer } from './state/viewerState.js';
import { segmentKeyOf } from '../core/labels/segmentKey.js';
import type { ViewStatePublisher } from './testAid/viewStateForTests.js';
import type { SliceRenderer } from './views/sliceRenderer.js';
import { Viewport } from './views/Viewport.js';
import { View3D } from './views/View3D.js';
import type { View3dController } from './volume3d/View3dController.js';

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
  const prompt = useMemo(() => createPromptStore(), []);
  const actions = useViewerActions({ api, dispatch, state: stateRef, renderers, prompt });
  useUnsavedUnloadGuard(stateRef);
  const measures = useMeasurements({ api, volume: state.volume, tool: state.tool, dispatch });
  const view3d = useRef<View3dController | null>(null);
  useFileDrop(actions);
  const [helpOpen, setHelpOpen] = useState(false);
  const [recording, setRecording] = useState(false);
  const cine = useCine(() => dispatch({ type: 'cineStep', view: stateRef.current.activeView }), state.volume !== null && !recording);
  useShortcuts({ actions, dispatch, state: stateRef, cine, onHelp: () => setHelpOpen((open) => !open) });
  const onRecord = useCallback(() => {
    setRecording(true);
    void actions.recordCine(stateRef.current.activeView, cine.fps).finally(() => setRecording(false));
  }, [actions, cine.fps]);

  const { volume, segmentation } = state;
  const snapshot = segmentation?.snapshot ?? null;
  const axes = useMemo(() => (volume ? axesOf(volume.header) : null), [volume]);
  const mprViews = useMprViews(state, axes, dispatch);
  useMprShortcuts(stateRef, dispatch);
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
        markers: scene.plane.markers,
        timing: renderer.lastTiming,
        ...renderer.testState(),
      });
    },
    [viewState],
  );

  const shownViews = state.layout === 'three' || state.layout === 'four' ? viewNames : state.active3d ? [] : [state.activeView];
  const show3d = state.layout === 'four' || (state.layout === 'one' && state.active3d);
  const onActivate3d = (): void => dispatch({ type: 'active3d' });
  const onExport3d = (): void => actions.exportPicture(() => view3d.current?.toPng() ?? Promise.reject(new Error('the 3D view is not drawing')), '3d');
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
        active3d={state.active3d}
        onActive3d={onActivate3d}
        onExport3d={onExport3d}
      />
      {state.error && <ErrorBanner message={state.error} onDismiss={() => dispatch({ type: 'error', message: null })} />}
      {state.recovery && <RecoveryBanner recovery={state.recovery} onRestore={actions.restoreRecovery} onDiscard={actions.discardRecovery} />}
      {state.job && <ProgressPanel job={state.job} onCancel={actions.cancelJob} />}
      {volume && (
        <div className="presets-row">
          <PresetBar volume={volume} voi={state.voi} onVoi={onVoi} />
          <CineControls cine={cine} recording={recording} onRecord={onRecord} />
          <button type="button" data-testid="help-open" title="Keyboard shortcuts (? or F1)" onClick={() => setHelpOpen(true)}>
            Shortcuts
          </button>
        </div>
      )}
      {helpOpen && <HelpPanel onClose={() => setHelpOpen(false)} />}
      <main className="workspace">
        <div className={`views layout-${state.layout}`}>
          {volume && axes && mprViews ? (
            <>
            {shownViews.map((view) => (
              <Viewport
                key={view}
                view={view}
                volume={volume}
                axes={axes[view]}
                mpr={mprViews[view]}
                cursor={state.cursor}
                voi={state.voi}
                labels={labels}
                maskColours={maskColours}
                tool={state.tool}
                onPaint={actions.paint}
                outline={state.outline}
                active={!state.active3d && state.activeView === view}
                resetToken={state.resetToken}
                onCursor={onCursor}
                onVoi={onVoi}
                onHover={onHover}
                onActivate={onActivate}
                onRendered={onRendered}
                onRenderer={onRenderer}
                overlay={measures.overlay}
                onMeasurePointer={measures.onPointer}
              />
            ))}
            {show3d && (
              <View3D
                volume={volume}
                labels={labels}
                maskColours={maskColours}
                voi={state.voi}
                active={state.active3d}
                resetToken={state.resetToken}
                onActivate={onActivate3d}
                onController={(controller) => (view3d.current = controller)}
              />
            )}
            </>
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
            <MprControls mpr={state.mpr} activeView={state.activeView} tool={state.tool} dispatch={dispatch} />
            <MeasurementPanel
              items={measures.state.items}
              selected={measures.state.selected}
              units={volume.header.units}
              tool={state.tool.kind}
              revision={measures.state.revision}
              savedRevision={measures.savedRevision}
              onTool={measures.chooseTool}
              onSelect={measures.select}
              onRename={measures.rename}
              onDelete={measures.remove}
              onExport={measures.exportCsv}
            />
          </aside>
        )}
      </main>
      <Readout hover={hover} volume={volume} labels={snapshot} cursor={state.cursor} />
      <footer className="status" data-testid="status">
        {state.status ?? ''}
      </footer>
      <UnsavedDialog prompt={prompt} />
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
