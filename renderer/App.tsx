import { StatusText } from './components/StatusText.js';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useMprShortcuts } from './actions/useMprShortcuts.js';
import { useShortcuts } from './actions/useShortcuts.js';
import { useViewerActions } from './actions/useViewerActions.js';
import type { DesktopApi } from './api/DesktopApi.js';
import { SidePanel } from './app/SidePanel.js';
import { useCineRecording } from './app/useCineRecording.js';
import { TimeSlider } from './time/TimeSlider.js';
import { useTimePoints } from './time/useTimePoints.js';
import { activeViewElement } from './app/activeViewElement.js';
import { isSameSeries } from './data/isSameSeries.js';
import { useFileDrop } from './app/useFileDrop.js';
import { useShownLabels } from './app/useShownLabels.js';
import { useViewportCallbacks } from './app/useViewportCallbacks.js';
import { ViewArea } from './app/ViewArea.js';
import { ViewBar } from './app/ViewBar.js';
import { viewAxesOf } from './app/viewAxesOf.js';
import { CineControls } from './components/CineControls.js';
import { HelpPanel } from './components/HelpPanel.js';
import { LoadProgressBar } from './components/LoadProgressBar.js';
import { PresetBar } from './components/PresetBar.js';
import { RecentStudies } from './components/RecentStudies.js';
import { Readout } from './components/Readout.js';
import { SettingsDialog } from './components/SettingsDialog.js';
import { ErrorBanner, ProgressPanel, RecoveryBanner, SeriesPicker } from './components/StatusPanels.js';
import { Toolbar } from './components/Toolbar.js';
import { PromptDialog } from './components/PromptDialog.js';
import { viewNames, type ViewName } from './geometry/types.js';
import { useMeasuredViews } from './measurements/useMeasuredViews.js';
import { useMeasurements } from './measurements/useMeasurements.js';
import { createPromptStore } from './state/createPromptStore.js';
import { createHoverStore } from './state/hoverStore.js';
import { recallLayout, rememberLayout, sessionLayoutStorage } from './state/layoutMemory.js';
import { useMprViews } from './state/useMprViews.js';
import { useUnsavedUnloadGuard } from './state/useUnsavedUnloadGuard.js';
import { initialViewerState, viewerReducer } from './state/viewerState.js';
import { testPort } from './testPort/testPort.js';
import type { SliceRenderer } from './views/sliceRenderer.js';
import type { View3dController } from './volume3d/View3dController.js';
import { ModelInputsDialog } from './components/ModelInputsDialog.js';

interface AppProps {
  readonly api: DesktopApi | null;
}

/** The viewer: toolbar, the linked views (2×2 with 3D, 1×3 or one), readout, and the side panel's tabs. */
export function App({ api }: AppProps) {
  // The layout chosen earlier in this session (a reload keeps it); 2×2 otherwise.
  const [state, dispatch] = useReducer(viewerReducer, initialViewerState, (initial) => ({
    ...initial,
    layout: recallLayout(sessionLayoutStorage()) ?? initial.layout,
  }));
  useEffect(() => rememberLayout(sessionLayoutStorage(), state.layout), [state.layout]);
  const stateRef = useRef(state);
  stateRef.current = state;
  const renderers = useMemo(() => new Map<ViewName, SliceRenderer>(), []);
  const hover = useMemo(() => createHoverStore(), []);
  const prompt = useMemo(() => createPromptStore(), []);
  const actions = useViewerActions({ api, dispatch, state: stateRef, renderers, prompt });
  useUnsavedUnloadGuard(stateRef);
  const { volume, segmentation } = state;
  const axes = useMemo(() => (volume ? viewAxesOf(volume.header) : null), [volume]);
  const mprViews = useMprViews(state, axes, dispatch);
  // The 2D views on screen, as ViewArea lays them out: a slab in a view the layout hides is not shown.
  const shownViews = state.layout !== 'one' ? viewNames : state.active3d ? [] : [state.activeView];
  const measuredViews = useMeasuredViews(mprViews, shownViews);
  // useMeasurements stays ahead of the hooks below: its key listener and effects keep their order (Escape, Delete).
  const measures = useMeasurements({ api, volume, tool: state.tool, dispatch, ...measuredViews });
  const view3d = useRef<View3dController | null>(null);
  useFileDrop(actions);
  const [helpOpen, setHelpOpen] = useState(false);
  const time = useTimePoints({ api, volume: state.volume, segmentation, dispatch });
  const { cine, recording, onRecord } = useCineRecording({ stateRef, hasVolume: state.volume !== null, dispatch, actions, time, renderers });
  useShortcuts({ actions, dispatch, state: stateRef, cine, onHelp: () => setHelpOpen((open) => !open) });
  useMprShortcuts(stateRef, dispatch);
  const shown = useShownLabels(state);
  const callbacks = useViewportCallbacks({ dispatch, hover, renderers, onPaint: actions.paint });

  const focusFallback = useCallback(() => activeViewElement(stateRef.current), []);
  // A scan opened by keyboard unmounts the button pressed (Open folder…, a recent study, a series): focus would be on
  // nothing, and the arrows would scroll no view. A text field, or any control still shown, keeps its focus; another
  // time point of the series shown is no new scan.
  const focusedFor = useRef<typeof volume>(null);
  useEffect(() => {
    const opened = volume !== null && !isSameSeries(focusedFor.current, volume);
    focusedFor.current = volume;
    if (opened && (document.activeElement === null || document.activeElement === document.body)) activeViewElement(stateRef.current)?.focus();
  }, [volume]);

  useEffect(() => {
    testPort?.sceneShown({ volumeId: volume?.header.volumeId ?? null, maskId: segmentation?.maskId ?? null, cursor: volume ? state.cursor : null });
  }, [volume, segmentation?.maskId, state.cursor]);

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
        activeView={state.activeView}
        busy={state.load?.shown ? null : state.busy}
        active3d={state.active3d}
        onExport3d={onExport3d}
      />
      <LoadProgressBar load={state.load} onCancel={actions.cancelLoad} />
      {state.error && <ErrorBanner message={state.error} onDismiss={() => dispatch({ type: 'error', message: null })} />}
      {state.recovery && <RecoveryBanner recovery={state.recovery} onRestore={actions.restoreRecovery} onDiscard={actions.discardRecovery} />}
      {state.job && <ProgressPanel job={state.job} onCancel={actions.cancelJob} />}
      {volume && (
        <div className="presets-row">
          <PresetBar volume={volume} voi={state.voi} onVoi={callbacks.onVoi} />
          <CineControls cine={cine} recording={recording} onRecord={onRecord} />
          <button type="button" data-testid="help-open" title="Keyboard shortcuts (? or F1)" onClick={() => setHelpOpen(true)}>
            Shortcuts
          </button>
        </div>
      )}
      {helpOpen && <HelpPanel onClose={() => setHelpOpen(false)} fallbackFocus={focusFallback} />}
      <main className={volume ? 'workspace' : 'workspace welcoming'}>
        <div className="view-column">
          {volume && (
            <ViewBar
              layout={state.layout}
              activeView={state.activeView}
              active3d={state.active3d}
              mpr={state.mpr}
              tool={state.tool}
              onLayout={(layout) => dispatch({ type: 'layout', layout })}
              onActiveView={callbacks.onActivate}
              onActive3d={onActivate3d}
              onReset={() => dispatch({ type: 'resetViews' })}
              dispatch={dispatch}
            />
          )}
          {volume && <TimeSlider time={time} timeOffsets={volume.header.timeOffsets} />}
          <ViewArea
            state={state}
            axes={axes}
            mprViews={mprViews}
            shown={shown}
            callbacks={callbacks}
            measurement={measures}
            onActivate3d={onActivate3d}
            onController3d={(controller) => (view3d.current = controller)}
            onOpen={actions.openScan}
            recentStudies={<RecentStudies api={api} onOpen={actions.openStudy} />}
          />
        </div>
        {volume && <SidePanel state={state} volume={volume} axes={axes} dispatch={dispatch} actions={actions} measures={measures} />}
      </main>
      <Readout hover={hover} volume={volume} labels={segmentation?.snapshot ?? null} cursor={state.cursor} />
      <footer className="status" data-testid="status">
        <StatusText status={state.status} />
      </footer>
      {state.settingsDialog && (
        <SettingsDialog
          dialog={state.settingsDialog}
          onSave={actions.saveSettings}
          onClose={actions.closeSettings}
          cores={navigator.hardwareConcurrency || 1}
        />
      )}
      {state.modelInputs && (
        <ModelInputsDialog
          inputs={state.modelInputs.inputs}
          shownSeries={volume?.source?.seriesIndex ?? null}
          onRun={actions.runModelWithInputs}
          onClose={actions.closeModelInputs}
        />
      )}
      {state.pickSeries && (
        <SeriesPicker
          scan={state.pickSeries}
          onPick={(index) => actions.loadSeries(state.pickSeries!.scanId, index)}
          onClose={() => dispatch({ type: 'pickSeries', scan: null })}
          fallbackFocus={focusFallback}
        />
      )}
      {/* Last: its question is asked over any other dialog (a series picked from the picker, the settings). */}
      <PromptDialog prompt={prompt} />
    </div>
  );
}
