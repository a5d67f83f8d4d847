import { useEffect, useMemo, useRef, type Dispatch, type RefObject } from 'react';
import type { AxialApi, MaskHeader } from '../../core/contract.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import type { ViewName } from '../geometry/types.js';
import type { SegmentationStore } from '../segmentation/types.js';
import type { PromptStore } from '../state/createPromptStore.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import type { ActionContext } from './ActionContext.js';
import { confirmLeave } from './confirmLeave.js';
import { createAttempt } from './createAttempt.js';
import { createClickSegmentSession, type ClickSegmentSession, type ClickSegmentState } from './createClickSegmentSession.js';
import { createMaskActions, type MaskActions } from './createMaskActions.js';
import { createMaskEditActions, type MaskEditActions } from './createMaskEditActions.js';
import { createSegmentationActions, type SegmentationActions } from './createSegmentationActions.js';
import { createSettingsActions, type SettingsActions } from './createSettingsActions.js';
import { createShowMask, type SessionSlot } from './createShowMask.js';
import { createStoreUpdate } from './createStoreUpdate.js';
import { createViewActions, type ViewActions } from './createViewActions.js';
import { createVolumeActions, type VolumeActions } from './createVolumeActions.js';
import { followLoadProgress } from './followLoadProgress.js';
import { followModelRuns } from './followModelRuns.js';
import { subscribeToMenu } from './subscribeToMenu.js';

/** Every action of the viewer, grouped as the contract's domains are. */
export interface ViewerActions extends VolumeActions, MaskActions, MaskEditActions, SegmentationActions, ViewActions, SettingsActions {
  /** Click-to-segment on the shown scan and segmentation (see createClickSegmentSession); null when either is missing. */
  startClickSegment(onChange: (state: ClickSegmentState) => void): ClickSegmentSession | null;
}

interface Context {
  readonly api: DesktopApi | null;
  readonly dispatch: Dispatch<ViewerAction>;
  readonly state: RefObject<ViewerState>;
  readonly renderers: ReadonlyMap<ViewName, SliceRenderer>;
  /** The page's one question: unsaved edits, or a model run that opening another scan would stop (PromptDialog shows it). */
  readonly prompt: PromptStore;
}

/** The viewer's calls to main, each reporting failure in words through the error banner. */
export function useViewerActions(context: Context): ViewerActions {
  const { api, dispatch, state, renderers, prompt } = context;
  const stopSession = useRef<(() => void) | null>(null);
  const actions = useMemo(() => createViewerActions({ api, dispatch, state, renderers, prompt }, stopSession), [api, dispatch, state, renderers, prompt]);
  useEffect(() => {
    if (!api) return undefined;
    return followModelRuns({ api, dispatch, state, prompt, showMask: (header, status) => actions.showMask(api, header, status) });
  }, [api, dispatch, state, prompt, actions]);
  useEffect(() => (api ? followLoadProgress(api, dispatch) : undefined), [api, dispatch]);
  useEffect(() => () => stopSession.current?.(), []);
  useEffect(() => subscribeToMenu(api, actions, prompt), [api, actions, prompt]);
  return actions;
}

type ActionsWithMask = ViewerActions & { showMask(a: AxialApi, header: MaskHeader, status: string): Promise<SegmentationStore | null> };

/** One set of actions over one context: each domain's group, given what it needs of the others. */
function createViewerActions(context: Context, stopSession: SessionSlot): ActionsWithMask {
  const { api, dispatch, state, renderers, prompt } = context;
  const shared: ActionContext = {
    dispatch,
    state,
    attempt: createAttempt(api, dispatch),
    mayLeave: (a, reason) => confirmLeave({ api: a, state, dispatch, prompt }, reason),
  };
  const showMask = createShowMask(shared, stopSession);
  const segmentation = createSegmentationActions(shared);
  return {
    ...createVolumeActions({ ...shared, cancelJob: segmentation.cancelJob, mayStopRun: async () => (await prompt.ask({ kind: 'running' })) === 'stop' }),
    ...createMaskActions({ ...shared, showMask }),
    ...createMaskEditActions({ ...shared, showMask, update: createStoreUpdate(shared) }),
    ...segmentation,
    showMask,
    ...createViewActions({ ...shared, renderers }),
    ...createSettingsActions(shared),
    startClickSegment: (onChange) => {
      const { volume, segmentation: shown } = state.current;
      if (!api || !volume || !shown) return null;
      return createClickSegmentSession({ api, volume: volume.header, store: shown.store, device: 'auto', onChange });
    },
  };
}
