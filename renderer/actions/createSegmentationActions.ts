import { unwrap } from '../api/callApi.js';
import { inferenceDeviceFor, type DeviceChoice } from '../api/gpuDevice.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import type { ModelTarget } from '../state/viewerState.js';
import { recoveryFirst, type ActionContext } from './ActionContext.js';

/** The model runs (`segmentation:` calls); their progress and result are followed by followModelRuns. */
export interface SegmentationActions {
  /** Runs a model; its result becomes a segmentation of its own ('new') or new segments of the open one ('append'). */
  runModel(model: 'demo' | 'choose', device: DeviceChoice, into: ModelTarget['kind']): void;
  cancelJob(): void;
}

/** Starting and cancelling a model run. */
export function createSegmentationActions(context: ActionContext): SegmentationActions {
  const { attempt } = context;
  return {
    runModel: (model, device, kind) => attempt('Could not run the model', (a) => runModel(context, a, { model, device, kind })),
    cancelJob: () => attempt('Could not cancel', (a) => cancelJob(context, a)),
  };
}

interface RunRequest {
  readonly model: 'demo' | 'choose';
  readonly device: DeviceChoice;
  readonly kind: ModelTarget['kind'];
}

async function runModel(context: ActionContext, a: DesktopApi, { model, device, kind }: RunRequest): Promise<void> {
  const { dispatch, state } = context;
  const volume = state.current.volume;
  if (!volume) throw new Error('open a scan first');
  if (state.current.job) throw new Error('a model is already running');
  const shown = state.current.segmentation;
  const into: ModelTarget = kind === 'append' && shown ? { kind: 'append', maskId: shown.maskId } : { kind: 'new' };
  if (into.kind === 'new' && state.current.recovery) throw new Error(recoveryFirst);
  // No question yet: the result's arrival asks about the shown segmentation ('model-result'), and only if there is a result.
  const platform = navigator.platform || navigator.userAgent;
  const { jobId } = await unwrap(a['segmentation:run']({ volumeId: volume.header.volumeId, model, device: inferenceDeviceFor(device, platform) }));
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
