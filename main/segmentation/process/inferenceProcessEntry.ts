/**
 * The inference process: one entry module for both hosts. Under the CLI it is
 * a Node child process (`child_process.fork` with `serialization: 'advanced'`,
 * messages through process.send); in the app it is an Electron utilityProcess
 * (messages through `process.parentPort`). onnxruntime-node's run() blocks its
 * thread, so it runs here and never in the caller's. A crash or out-of-memory
 * here ends this process only; the parent reports it.
 */
import { performance } from 'node:perf_hooks';
import { AxialError } from '../../errors/AxialError.js';
import { chooseSeries } from '../../input/chooseSeries.js';
import { scanInput } from '../../input/scanInput.js';
import { createVolume, type Volume } from '../../volume/Volume.js';
import { assertModelRunnable } from '../bundle/assertModelRunnable.js';
import { loadModelSpec } from '../loadModelSpec.js';
import type { InferenceDevice } from '../onnx/createOnnxRunner.js';
import { createOnnxRunnerInWorker, type OverlappingOnnxRunner } from '../onnx/createOnnxRunnerInWorker.js';
import { plainInferenceError } from '../onnx/plainInferenceError.js';
import type { ModelSpec } from '../ModelSpec.js';
import { segmentWithClicks } from '../interactive/segmentWithClicks.js';
import { segmentVolume, type SegmentationResult } from '../segmentVolume.js';
import { usesLeaderStore } from '../usesLeaderStore.js';
import type { ChannelImage } from '../channels/alignChannels.js';
import type {
  ChildMessage,
  DescriptionMessage,
  ErrorMessage,
  ParentMessage,
  PlainVolume,
  ResultMessage,
  SegmentPathRequest,
  SegmentRequest,
} from './inferenceMessages.js';

interface Channel {
  send(message: ChildMessage): void;
  onMessage(handler: (message: ParentMessage) => void): void;
}

/** Electron's `process.parentPort` in a utilityProcess, typed here so that electron is never imported. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function connect(): Channel | null {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data as ParentMessage)),
    };
  }
  const send = process.send?.bind(process);
  if (send) {
    process.on('disconnect', () => void exitWhenIdle(0));
    return {
      send: (message) => void send(message, undefined, undefined, () => undefined),
      onMessage: (handler) => process.on('message', (message) => handler(message as ParentMessage)),
    };
  }
  return null;
}

interface Loaded {
  readonly modelPath: string;
  readonly device: InferenceDevice;
  readonly spec: ModelSpec;
  readonly runner: OverlappingOnnxRunner;
}

/** Keeps one session for consecutive requests with the same model and device (a batch). */
let loaded: Loaded | null = null;

/** The runner's session opening, or the last runner's release: onnxruntime busy on its thread outside a run. */
let settling: Promise<unknown> = Promise.resolve();
/** Set once the process is leaving: no model is opened after. */
let leaving = false;

/** How long a process that is leaving waits for the runner's thread: the session opening or the batch running, then the release. */
const exitGraceMs = 30_000;

/**
 * Exits once onnxruntime has returned on the runner's worker thread: a process that exits while it opens a session or
 * runs one aborts ('terminate called after throwing an instance of Napi::Error', SIGABRT). The runs queued are answered
 * unrun, the one running finishes, and the session is released. `process.exit` itself waits for such a call and then
 * aborts, so a thread still busy after exitGraceMs ends the process with SIGTERM (which Node leaves to the system: no
 * abort, and the parent reads the signal).
 */
async function exitWhenIdle(code: number): Promise<never> {
  leaving = true;
  const release = async (): Promise<void> => {
    await settling;
    loaded?.runner.skipQueued();
    await loaded?.runner.release();
  };
  const returned = await Promise.race([
    release().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), exitGraceMs)),
  ]);
  if (!returned) process.kill(process.pid, 'SIGTERM');
  process.exit(code);
}

/**
 * The model's spec, and its session opening on the runner's worker thread: the caller reads the scan meanwhile (the
 * whole-body bundle's session took 0.3 s, its 512×512×500 CT 0.5 s to read).
 */
async function loadModel(request: SegmentRequest): Promise<{ spec: ModelSpec; opened: Promise<{ loaded: Loaded; seconds: number }> }> {
  // A runner whose worker stopped (an uncaught failure there) is opened again rather than failing every later request.
  if (loaded && loaded.modelPath === request.modelPath && loaded.device === request.device && loaded.runner.alive()) {
    return { spec: loaded.spec, opened: Promise.resolve({ loaded, seconds: 0 }) };
  }
  const previous = loaded;
  loaded = null;
  if (previous) await (settling = previous.runner.release());
  const started = performance.now();
  const spec = await loadModelSpec(request.modelPath);
  // Before the session opens, and marked the model's (the caller's failedOnModel): a batch stops here, not per case.
  assertModelRunnable(spec);
  if (leaving) throw new AxialError('INFERENCE_CRASHED', 'the inference process is stopping (it failed, or was told to); run it again');
  // segmentVolume runs here at its default precision: a model it sums in the leaders store gets the leaders tail (a click
  // model is run whole).
  const opened = createOnnxRunnerInWorker(spec.modelPath, request.device, spec, {
    leadersTail: !spec.interactive && usesLeaderStore(spec) ? 'auto' : undefined,
  }).then((runner) => {
    loaded = { modelPath: request.modelPath, device: request.device, spec, runner };
    return { loaded, seconds: (performance.now() - started) / 1000 };
  });
  // Settled once `loaded` is set (or the opening failed, its thread ended).
  settling = opened.catch(() => undefined);
  return { spec, opened };
}

interface LoadedInput {
  readonly volume: Volume;
  /** Every channel in the model's order, the first being `volume`; absent for a model of one image. */
  readonly channels?: ChannelImage[];
  readonly files: string[];
  readonly warnings: string[];
}

async function loadPath(inputPath: string, seriesIndex: number | undefined, request: SegmentPathRequest, spec?: ModelSpec) {
  const scan = await scanInput(inputPath, { philipsScaling: request.philipsScaling, threads: request.threads });
  const series = chooseSeries(scan.series, seriesIndex, inputPath);
  const { volume, warnings } = await series.load();
  const files = [...series.files];
  // A model of C images given one 4D file of C volumes (the Medical Segmentation Decathlon's brain tumours: FLAIR,
  // T1w, T1gd, T2w in one NIfTI) takes its volumes as the channels, as MONAI's EnsureChannelFirstd does.
  const channelCount = spec && !spec.interactive ? spec.input.channels : 1;
  if (channelCount < 2) {
    if ((series.timePoints ?? 1) > 1) throw severalVolumes(inputPath, series.timePoints!, spec);
    return { volume, files, warnings: [...series.warnings, ...warnings] };
  }
  if (series.timePoints !== channelCount) {
    const names = spec!.input.channelNames?.join(', ') ?? `channels 0 to ${channelCount - 1}`;
    throw new AxialError(
      'CLI_USAGE',
      `${spec!.name} takes ${channelCount} input images (${names}): give each as --input NAME=PATH, or one 4D file of ${channelCount} volumes ` +
        `(this input holds ${series.timePoints ?? 1})`,
      { file: inputPath },
    );
  }
  const channels: ChannelImage[] = [];
  for (let t = 0; t < channelCount; t++) {
    const name = spec!.input.channelNames?.[t] ?? `channel ${t}`;
    channels.push({ name, volume: t === 0 ? volume : (await series.load(t)).volume, source: `${inputPath} (volume ${t})` });
  }
  return { volume, channels, files, warnings: [...series.warnings, ...warnings] };
}

/**
 * A 4D input where one image is taken (a one-channel model, or one --input of several): MONAI's EnsureChannelFirstd would
 * make its volumes channels, which the model does not take, so none is chosen silently.
 */
function severalVolumes(inputPath: string, volumes: number, spec: ModelSpec | undefined): AxialError {
  const taker = spec ? `${spec.name} takes one input image` : 'each --input is one channel, one image';
  return new AxialError(
    'CLI_USAGE',
    `${taker}, and this file holds ${volumes} volumes (MONAI would stack them as ${volumes} channels): ` +
      `write the one to segment with "axial convert <input> <volume.nii.gz> --time-point t" (t from 0 to ${volumes - 1}) and give that`,
    { file: inputPath },
  );
}

async function loadInput(request: SegmentRequest, spec: ModelSpec): Promise<LoadedInput> {
  const firstName = request.channelName ?? spec.input.channelNames?.[0] ?? 'channel 0';
  if ('volume' in request) {
    const volume = createVolume(request.volume);
    if (!request.moreChannels?.length) return { volume, files: [], warnings: [] };
    const channels: ChannelImage[] = [
      { name: firstName, volume, source: firstName },
      ...request.moreChannels.map((c) => ({ name: c.name, volume: createVolume(c.volume), source: c.source ?? c.name })),
    ];
    return { volume, channels, files: [], warnings: [] };
  }
  const first = await loadPath(request.inputPath, request.seriesIndex, request, request.moreChannels?.length ? undefined : spec);
  if (!request.moreChannels?.length) return first;
  const channels: ChannelImage[] = [{ name: firstName, volume: first.volume, source: request.inputPath }];
  const files = [...first.files];
  const warnings = [...first.warnings];
  for (const more of request.moreChannels) {
    const loaded = await loadPath(more.inputPath, undefined, request);
    channels.push({ name: more.name, volume: loaded.volume, source: more.inputPath });
    files.push(...loaded.files);
    warnings.push(...loaded.warnings);
  }
  return { volume: first.volume, channels, files, warnings };
}

async function segment(request: SegmentRequest, channel: Channel): Promise<void> {
  const started = performance.now();
  const { spec, opened } = await loadModel(request).catch(failedOnModel);
  const inputStarted = performance.now();
  const reading = loadInput(request, spec).then((input) => ({ input, seconds: (performance.now() - inputStarted) / 1000 }));
  // Both settle before either's error is thrown, the model's first, as when the session opened before the scan was read
  // (a model that cannot open is now reported once the scan is read, not before).
  const [opening, read] = await Promise.allSettled([opened, reading]);
  if (opening.status === 'rejected') failedOnModel(opening.reason);
  if (read.status === 'rejected') throw read.reason;
  const model = opening.value;
  const { input } = read.value;
  const { runner } = model.loaded;
  // A DeepEdit model runs on its clicks (none: its automatic mode); clicks to any other model are refused there.
  const result =
    request.points || spec.interactive
      ? await clickResult(input.volume, spec, runner, request.points ?? [], request.roi)
      : await segmentVolume({
          volume: input.volume,
          releaseVoxels: true,
          ...(input.channels ? { channels: input.channels } : {}),
          spec,
          runBatch: runner.runBatch,
          overlapping: runner,
          onProgress: progressReporter(channel, started),
        });
  const message: ResultMessage = {
    type: 'result',
    labels: plainVolume(result.labels),
    segments: result.segments,
    ...(result.layers ? { layers: result.layers.map((l) => ({ name: l.name, labels: plainVolume(l.labels), segments: l.segments })) } : {}),
    seconds: { ...result.seconds, loadInput: read.value.seconds, loadModel: model.seconds },
    provider: model.loaded.runner.provider,
    skippedProviders: model.loaded.runner.skipped,
    inputFiles: input.files,
    warnings: [...model.loaded.spec.warnings, ...input.warnings, ...result.warnings],
  };
  // The session stays for the next request (the app's next click or run), its output array does not.
  runner.trim();
  channel.send(message);
}

/** A model's name and input channel names, from its bundle or sidecar (the network is not opened). */
async function describe(modelPath: string): Promise<DescriptionMessage> {
  const spec = await loadModelSpec(modelPath);
  const names = spec.input.channelNames ?? [];
  // A DeepEdit model's further channels are its clicks' guidance, not images.
  const channels = spec.input.channels > 1 && !spec.interactive ? Array.from({ length: spec.input.channels }, (_, c) => names[c] ?? `channel ${c}`) : [];
  return { type: 'description', name: spec.name, channels };
}

/** Click-to-segment: one network run, so no progress; its stage times in segmentVolume's shape. */
async function clickResult(
  volume: Volume,
  spec: ModelSpec,
  runner: OverlappingOnnxRunner,
  points: NonNullable<SegmentRequest['points']>,
  roi: SegmentRequest['roi'],
): Promise<Pick<SegmentationResult, 'labels' | 'segments' | 'seconds' | 'warnings' | 'layers'>> {
  const result = await segmentWithClicks({ volume, spec, runBatch: runner.runBatch, points, roi });
  return { labels: result.labels, segments: result.segments, warnings: [], seconds: { ...result.seconds, inference: result.seconds.network } };
}

/** Progress at most ten times a second (and always the last); the ETA comes from the patch rate since the first patch. */
function progressReporter(channel: Channel, started: number): (done: number, total: number) => void {
  let first: { time: number; done: number } | null = null;
  let lastSent = -Infinity;
  return (done, total) => {
    const now = performance.now();
    const rate = first && done > first.done ? (now - first.time) / (done - first.done) : null;
    first ??= { time: now, done };
    if (done < total && now - lastSent < 100) return;
    lastSent = now;
    channel.send({
      type: 'progress',
      done,
      total,
      elapsedSeconds: (now - started) / 1000,
      etaSeconds: rate === null ? null : (rate * (total - done)) / 1000,
    });
  };
}

/** The volume's fields, with voxels in a buffer of their own so that no more than they are copied. */
function plainVolume(volume: Volume): PlainVolume {
  const v = volume.voxels;
  const voxels = v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v : v.slice();
  const { dimensions, spacing, origin, direction, metadata } = volume;
  return { dimensions, spacing, origin, direction, voxels, metadata };
}

/** A failure to read or open the model, told apart from one of the input: its answer is marked `model`. */
class ModelFailure {
  constructor(readonly error: unknown) {}
}

function failedOnModel(error: unknown): never {
  throw new ModelFailure(error);
}

function errorMessage(error: unknown): ErrorMessage {
  if (error instanceof ModelFailure) return { ...errorMessage(error.error), model: true };
  const { code, message, file } = plainInferenceError(error, 'inference process');
  return { type: 'error', code, message: file ? `${file}: ${message}` : message };
}

function serve(channel: Channel): void {
  /**
   * Set by a failure outside any request: the process then leaves, and answers nothing more (a late answer to the
   * request it was serving would reach the parent as the answer to its next one).
   */
  let failed = false;
  const send = (message: ChildMessage): void => {
    if (!failed) channel.send(message);
  };
  let queue = Promise.resolve();
  channel.onMessage((message) => {
    if (failed) return;
    if (message.type === 'shutdown') {
      queue = queue.then(() => exitWhenIdle(0));
      return;
    }
    queue = queue.then(async () => {
      try {
        if (message.type === 'segment') await segment(message, { ...channel, send });
        else if (message.type === 'describe') send(await describe(message.modelPath));
      } catch (error) {
        send(errorMessage(error));
      }
    });
  });
  const fatal = (error: unknown): void => {
    send({ type: 'error', code: 'INFERENCE_CRASHED', message: `inference process failed: ${(error as Error)?.message ?? String(error)}` });
    failed = true;
    setTimeout(() => void exitWhenIdle(70), 100);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  channel.send({ type: 'ready' });
}

const channel = connect();
if (channel) serve(channel);
else {
  process.stderr.write('inferenceProcessEntry runs as a forked child process or an Electron utilityProcess, not on its own\n');
  process.exitCode = 2;
}
