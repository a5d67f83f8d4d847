import { unwrap } from '../api/callApi.js';
import { inferenceDeviceFor, type DeviceChoice } from '../api/gpuDevice.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import type { ModelTarget } from '../state/viewerState.js';
import { recoveryFirst, type ActionContext } from './ActionContext.js';

/** The model runs (`segmentation:` calls); their progress and result are followed by followModelRuns. */
export interface SegmentationActions {
  /** Runs a model; its result becomes a segmentation of its own ('new') or new segments of the open one ('append'). */
  runModel(model: 'demo' | 'choose', device: DeviceChoice, into: ModelTarget['kind']): void;
  /** Runs the model waiting in the input dialog on the series chosen for its channels. */
  runModelWithInputs(inputs: { channel: string; seriesIndex: number }[]): void;
  /** Closes the input dialog without running. */
  closeModelInputs(): void;
  cancelJob(): void;
}

/** Starting and cancelling a model run. */
export function createSegmentationActions(context: ActionContext): SegmentationActions {
  const { attempt } = context;
  return {
    runModel: (model, device, kind) => attempt('Could not run the model', (a) => askInputsThenRun(context, a, { model, device, kind })),
    runModelWithInputs: (inputs) =>
      attempt('Could not run the model', async (a) => {
        const dialog = context.state.current.modelInputs;
        if (!dialog) return;
        context.dispatch({ type: 'modelInputs', dialog: null });
        await runModel(context, a, { ...dialog, inputs });
      }),
    closeModelInputs: () => context.dispatch({ type: 'modelInputs', dialog: null }),
    cancelJob: () => attempt('Could not cancel', (a) => cancelJob(context, a)),
  };
}

interface RunRequest {
  readonly model: 'demo' | 'choose';
  readonly device: DeviceChoice;
  readonly kind: ModelTarget['kind'];
  readonly inputs?: { channel: string; seriesIndex: number }[];
}

/** Runs a model of one input image at once; for one of several, shows the dialog that chooses a series per channel first. */
async function askInputsThenRun(context: ActionContext, a: DesktopApi, request: RunRequest): Promise<void> {
  const volume = readyVolume(context);
  const inputs = await unwrap(a['model:inputs']({ volumeId: volume.header.volumeId, model: request.model }));
  if (inputs.channels.length === 0) return runModel(context, a, request);
  context.dispatch({ type: 'modelInputs', dialog: { inputs, model: request.model, device: request.device, kind: request.kind } });
}

function readyVolume(context: ActionContext) {
  const volume = context.state.current.volume;
  if (!volume) throw new Error('open a scan first');
  if (context.state.current.job) throw new Error('a model is already running');
  return volume;
}

async function runModel(context: ActionContext, a: DesktopApi, { model, device, kind, inputs }: RunRequest): Promise<void> {
  const { dispatch, state } = context;
  const volume = readyVolume(context);
  const shown = state.current.segmentation;
  const into: ModelTarget = kind === 'append' && shown ? { kind: 'append', maskId: shown.maskId } : { kind: 'new' };
  if (into.kind === 'new' && state.current.recovery) throw new Error(recoveryFirst);
  // No question yet: the result's arrival asks about the shown segmentation ('model-result'), and only if there is a result.
  const platform = navigator.platform || navigator.userAgent;
  const { jobId } = await unwrap(a['segmentation:run']({ volumeId: volume.header.volumeId, model, device: inferenceDeviceFor(device, platform), inputs }));
  dispatch({ type: 'jobStarted', jobId, into });
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
