import type { EventTypes } from '../../core/contract.js';
import { ApiCallError, unwrap } from '../api/callApi.js';
import { inferenceDeviceFor, type DeviceChoice } from '../api/gpuDevice.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import type { ModelTarget } from '../state/viewerState.js';
import { recoveryFirst, type ActionContext } from './ActionContext.js';
import { createChosenModel, type ChosenModel } from './createChosenModel.js';

/** Which model a Run takes: the demo, a folder asked for now, or the folder chosen before (chosenModel). */
export type ModelChoice = 'demo' | 'choose' | 'chosen';

/** The model runs (`segmentation:` calls); their progress and result are followed by followModelRuns. */
export interface SegmentationActions {
  /**
   * Runs a model; its result becomes a segmentation of its own ('new') or new segments of the open one ('append').
   * One at a time: a Run while one is starting or running (a double click) does nothing.
   */
  runModel(model: ModelChoice, device: DeviceChoice, into: ModelTarget['kind']): void;
  /** Runs the model waiting in the input dialog on the series chosen for its channels. */
  runModelWithInputs(inputs: { channel: string; seriesIndex: number }[]): void;
  /** Closes the input dialog without running. */
  closeModelInputs(): void;
  cancelJob(): void;
  /** The name of the model chosen with "Model folder…" that loaded, for the toolbar. */
  readonly chosenModel: Pick<ChosenModel, 'getSnapshot' | 'subscribe'>;
  /** A model chosen and loaded elsewhere (the app menu's Open Model…): the toolbar offers it by this name. */
  modelChosen(name: string): void;
}

/** Starting and cancelling a model run. */
export function createSegmentationActions(context: ActionContext): SegmentationActions {
  const { attempt } = context;
  const chosenModel = createChosenModel();
  /** Set from the click until main has answered: state.job is only set after, and a second click must not start a second run. */
  let starting = false;
  const startOnce = (step: (a: DesktopApi) => Promise<void>) => async (a: DesktopApi) => {
    if (starting) return;
    starting = true;
    try {
      await step(a);
    } catch (error) {
      // The user closed the folder chooser: nothing happened, so nothing is said.
      if (!(error instanceof ApiCallError && error.code === 'INFERENCE_CANCELLED')) throw error;
    } finally {
      starting = false;
    }
  };
  return {
    runModel: (model, device, kind) =>
      attempt(
        'Could not run the model',
        startOnce((a) =>
          model === 'chosen'
            ? runModel(context, a, { model: 'choose', device, kind }, (ok) => {
                if (!ok) chosenModel.set(null);
              })
            : askInputsThenRun(context, a, { model, device, kind }, chosenModel),
        ),
      ),
    runModelWithInputs: (inputs) =>
      attempt(
        'Could not run the model',
        startOnce(async (a) => {
          const dialog = context.state.current.modelInputs;
          if (!dialog) return;
          context.dispatch({ type: 'modelInputs', dialog: null });
          await runModel(context, a, { ...dialog, inputs }, null);
        }),
      ),
    closeModelInputs: () => context.dispatch({ type: 'modelInputs', dialog: null }),
    cancelJob: () => attempt('Could not cancel', (a) => cancelJob(context, a)),
    chosenModel,
    modelChosen: (name) => chosenModel.set(name),
  };
}

interface RunRequest {
  readonly model: 'demo' | 'choose';
  readonly device: DeviceChoice;
  readonly kind: ModelTarget['kind'];
  readonly inputs?: { channel: string; seriesIndex: number }[];
}

/**
 * Runs a model of one input image at once; for one of several, shows the dialog that chooses a series per channel
 * first. With 'choose' main asks for the folder each time; one of one image that loads is offered by name after.
 */
async function askInputsThenRun(context: ActionContext, a: DesktopApi, request: RunRequest, chosen: ChosenModel): Promise<void> {
  const volume = readyVolume(context);
  const inputs = await unwrap(a['model:inputs']({ volumeId: volume.header.volumeId, model: request.model }));
  // Main now holds this choice: a model of several images is run through the dialog, which asks again.
  if (request.model === 'choose') chosen.set(null);
  const offer = request.model === 'choose' ? (ok: boolean) => chosen.set(ok ? inputs.modelName : null) : null;
  if (inputs.channels.length === 0) return runModel(context, a, request, offer);
  context.dispatch({ type: 'modelInputs', dialog: { inputs, model: request.model, device: request.device, kind: request.kind } });
}

function readyVolume(context: ActionContext) {
  const volume = context.state.current.volume;
  if (!volume) throw new Error('open a scan first');
  if (context.state.current.job) throw new Error('a model is already running');
  return volume;
}

/** `onOutcome` hears whether the run succeeded (a chosen model is offered by name only once it has run). */
async function runModel(context: ActionContext, a: DesktopApi, request: RunRequest, onOutcome: ((ok: boolean) => void) | null): Promise<void> {
  const { model, device, kind, inputs } = request;
  const { dispatch, state } = context;
  const volume = readyVolume(context);
  const shown = state.current.segmentation;
  const into: ModelTarget = kind === 'append' && shown ? { kind: 'append', maskId: shown.maskId } : { kind: 'new' };
  if (into.kind === 'new' && state.current.recovery) throw new Error(recoveryFirst);
  // No question yet: the result's arrival asks about the shown segmentation ('model-result'), and only if there is a result.
  const platform = navigator.platform || navigator.userAgent;
  const heard = onOutcome ? hearOutcome(a) : null;
  try {
    const { jobId } = await unwrap(a['segmentation:run']({ volumeId: volume.header.volumeId, model, device: inferenceDeviceFor(device, platform), inputs }));
    dispatch({ type: 'jobStarted', jobId, into });
    if (heard && onOutcome) heard.of(jobId, onOutcome);
  } catch (error) {
    heard?.stop();
    throw error;
  }
}

/**
 * Hears how a run ends (ok, failed; a cancelled run says nothing about its model), listening from before the run
 * call, since its done event may arrive before the call's answer.
 */
function hearOutcome(a: DesktopApi) {
  const early = new Map<string, EventTypes['segmentation:done']['result']>();
  let wanted: { jobId: string; then: (ok: boolean) => void } | null = null;
  const settle = (result: EventTypes['segmentation:done']['result'], then: (ok: boolean) => void): void => {
    off();
    if (result.ok || result.error.code !== 'INFERENCE_CANCELLED') then(result.ok);
  };
  const off = a.on('segmentation:done', ({ jobId, result }) => {
    if (wanted?.jobId === jobId) settle(result, wanted.then);
    else if (!wanted && early.size < 16) early.set(jobId, result);
  });
  return {
    of(jobId: string, then: (ok: boolean) => void): void {
      const arrived = early.get(jobId);
      early.clear();
      if (arrived) settle(arrived, then);
      else wanted = { jobId, then };
    },
    stop: off,
  };
}

async function cancelJob(context: ActionContext, a: DesktopApi): Promise<void> {
  const { dispatch, state } = context;
  const job = state.current.job;
  if (!job) return;
  dispatch({ type: 'jobCancelling' });
  const { cancelled } = await unwrap(a['segmentation:cancel']({ jobId: job.jobId }));
  if (cancelled && state.current.job?.jobId === job.jobId) {
    dispatch({ type: 'jobEnded' });
    dispatch({ type: 'status', message: 'Model run cancelled' });
  }
}
