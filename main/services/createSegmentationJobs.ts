import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EventName, EventTypes, MaskHeader } from '../../core/contract.js';
import { AxialError } from '../errors/AxialError.js';
import type { ClickPoint } from '../segmentation/interactive/ClickPoint.js';
import type { InferenceDevice } from '../segmentation/onnx/createOnnxRunner.js';
import type { InferenceResult, PlainVolume } from '../segmentation/process/inferenceMessages.js';
import type { InferenceProcess } from '../segmentation/process/runInferenceProcess.js';
import type { Volume } from '../volume/Volume.js';
import { toErrorResult } from './toErrorResult.js';

export interface SegmentationJobsDeps {
  /** Starts an inference process; called again after one was killed (cancel) or crashed. */
  startInference(): InferenceProcess;
  emit<E extends EventName>(event: E, payload: EventTypes[E]): void;
  /** Keeps a finished job's labels as a mask of the volume and describes it. */
  acceptResult(params: StartJobParams, result: InferenceResult, channels: readonly ChannelVolume[] | undefined): Promise<MaskHeader>;
  logError?(error: unknown): void;
}

/** One input image of a model of several (a MONAI bundle's channel_def names the channels). */
export interface ChannelVolume {
  readonly channel: string;
  readonly volume: Volume;
  /** Its series description, for warnings and errors. */
  readonly description: string;
  /** The files it was read from. */
  readonly files: readonly string[];
}

export interface StartJobParams {
  readonly volumeId: string;
  readonly volume: Volume;
  readonly modelPath: string;
  readonly device: InferenceDevice;
  /** Click-to-segment: the clicks for an interactive model, and where it runs (see SegmentRequest). */
  readonly points?: readonly ClickPoint[];
  readonly roi?: 'scan' | 'clicks';
  /**
   * A model of several input images: loads each channel's volume, in the model's order (the first's grid is the
   * result's), when the job starts, so the call answers at once and Cancel reaches the loading too.
   */
  readonly loadChannels?: () => Promise<ChannelVolume[]>;
}

export interface SegmentationJobs {
  /**
   * Queues a job and returns its id at once; progress and the outcome arrive as events. A model run (one
   * without clicks) replaces the model run still queued or running, which ends as cancelled: the services
   * serve one window, whose page follows one model run, so two would leave one unfollowed (its result never
   * freed, out of reach of Cancel). Click-to-segment runs queue, the session letting go of those overtaken.
   */
  start(params: StartJobParams): string;
  /** The model's name and its input channels' names (empty for a model of one image), read in the inference process. */
  describe(modelPath: string): Promise<{ readonly name: string; readonly channels: readonly string[] }>;
  /**
   * Cancels a queued or running job (the process is killed, freeing its memory at once).
   * Resolves once the job has ended, or after about a second. False when it had already ended.
   * @throws AxialError UNKNOWN_ID for a job id never issued (or long forgotten).
   */
  cancel(jobId: string): Promise<boolean>;
  /** The model run (not click-to-segment) queued or running and not being cancelled, if any: there is one at most. */
  modelRun(): string | undefined;
  dispose(): Promise<void>;
}

interface Job {
  readonly id: string;
  readonly params: StartJobParams;
  readonly controller: AbortController;
  state: 'queued' | 'running' | 'ended';
  settled: Promise<void>;
}

const rememberedJobs = 64;
const cancelWaitMs = 1500;

/**
 * Runs segmentation jobs one at a time in one long-lived inference process
 * per app, which keeps its model session between runs of the same model and
 * device. A cancel kills that process; the next job starts a fresh one.
 */
export function createSegmentationJobs(deps: SegmentationJobsDeps): SegmentationJobs {
  const jobs = new Map<string, Job>();
  let inference: InferenceProcess | undefined;
  let queue: Promise<void> = Promise.resolve();

  const finish = (job: Job, result: EventTypes['segmentation:done']['result']): void => {
    if (job.state === 'ended') return;
    job.state = 'ended';
    deps.emit('segmentation:done', { jobId: job.id, result });
  };

  const cancelled = (): EventTypes['segmentation:done']['result'] => ({
    ok: false,
    error: { code: 'INFERENCE_CANCELLED', message: 'segmentation cancelled' },
  });

  /**
   * Starts the inference process. Its failure to start reaches the Run model
   * error on a clinician's screen: in words for them, the developer's detail
   * (a missing build, the module's path) logged and kept as the cause.
   */
  const startInference = (): InferenceProcess => {
    try {
      return deps.startInference();
    } catch (error) {
      (deps.logError ?? console.error)(error);
      throw new AxialError(
        'INFERENCE_CRASHED',
        'the inference program could not be started: it is missing from this installation (reinstalling Axial restores it)',
        { cause: error },
      );
    }
  };

  const run = async (job: Job): Promise<void> => {
    if (job.state === 'ended') return;
    if (job.controller.signal.aborted) return finish(job, cancelled());
    job.state = 'running';
    const started = performance.now();
    try {
      if (!inference?.alive) inference = startInference();
      const { volume, modelPath, device, points, roi, loadChannels } = job.params;
      const channels = await loadChannels?.();
      if (job.controller.signal.aborted) return finish(job, cancelled());
      const more = channels?.slice(1).map((c) => ({ name: c.channel, volume: plainVolume(c.volume), source: c.description }));
      const first = channels?.[0]?.channel;
      // A several-image model's first channel is the image sent (the result lands on its grid), whichever series is shown.
      const image = channels?.[0]?.volume ?? volume;
      const result = await inference.segment(
        { type: 'segment', volume: plainVolume(image), modelPath, device, points, roi, ...(more ? { channelName: first, moreChannels: more } : {}) },
        {
          signal: job.controller.signal,
          onProgress: (p) => deps.emit('segmentation:progress', { jobId: job.id, ...p }),
        },
      );
      // Replaced or cancelled while the network ran: no mask is kept that nobody would free.
      if (job.controller.signal.aborted) return finish(job, cancelled());
      const mask = await deps.acceptResult(job.params, result, channels);
      const seconds = (performance.now() - started) / 1000;
      finish(job, { ok: true, value: { ...mask, provider: result.provider, seconds } });
    } catch (error) {
      finish(job, toErrorResult(error, 'segmentation', deps.logError ?? console.error));
    }
  };

  /** Aborts a job: a queued one ends at once, a running one once its process is killed. */
  const stop = (job: Job): void => {
    if (job.state === 'ended') return;
    job.controller.abort();
    if (job.state === 'queued') finish(job, cancelled());
  };

  const forget = (): void => {
    for (const [id, job] of jobs) {
      if (jobs.size <= rememberedJobs) break;
      if (job.state === 'ended') jobs.delete(id);
    }
  };

  return {
    describe(modelPath) {
      // In the queue: the process answers one request at a time.
      const described = queue.then(() => {
        if (!inference?.alive) inference = startInference();
        return inference.describe(modelPath);
      });
      queue = described.then(
        () => undefined,
        () => undefined,
      );
      return described;
    },
    start(params) {
      if (params.points === undefined) for (const earlier of jobs.values()) if (earlier.params.points === undefined) stop(earlier);
      const job: Job = { id: randomUUID(), params, controller: new AbortController(), state: 'queued', settled: Promise.resolve() };
      jobs.set(job.id, job);
      forget();
      job.settled = queue = queue.then(() => run(job));
      return job.id;
    },
    async cancel(jobId) {
      const job = jobs.get(jobId);
      if (!job) throw new AxialError('UNKNOWN_ID', 'that model run is no longer known (it ended a while ago)');
      if (job.state === 'ended') return false;
      const running = job.state === 'running';
      stop(job);
      if (running) await Promise.race([job.settled, delay(cancelWaitMs)]);
      return true;
    },
    modelRun() {
      for (const job of jobs.values()) if (job.params.points === undefined && job.state !== 'ended' && !job.controller.signal.aborted) return job.id;
      return undefined;
    },
    async dispose() {
      for (const job of jobs.values()) job.controller.abort();
      await Promise.race([queue, delay(cancelWaitMs)]);
      await inference?.close();
      inference = undefined;
      jobs.clear();
    },
  };
}

/**
 * The volume as it crosses to the inference process (by structured clone). A
 * typed array clones its whole buffer, so a small view of a large one is
 * copied out first.
 */
function plainVolume(volume: Volume): PlainVolume {
  const v = volume.voxels;
  const voxels = v.byteLength * 1.5 < v.buffer.byteLength ? v.slice() : v;
  const { dimensions, spacing, origin, direction, metadata } = volume;
  return { dimensions, spacing, origin, direction, voxels, metadata };
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}
