import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AxialError } from '../errors/AxialError.js';
import { assertNotInput } from '../io/assertNotInput.js';
import { listModelFiles } from '../segmentation/listModelFiles.js';
import { inferenceDevices, type InferenceDevice } from '../segmentation/onnx/createOnnxRunner.js';
import type { InferenceResult } from '../segmentation/process/inferenceMessages.js';
import { runInferenceProcess, type InferenceProcessOptions } from '../segmentation/process/runInferenceProcess.js';
import type { CliIo } from './CliIo.js';
import type { PhilipsScaling } from '../dicom/philips/applyPhilipsScaling.js';
import { parsePhilipsScaling, philipsScalingUsage } from './parsePhilipsScaling.js';
import { parseThreads, threadsUsage } from './parseThreads.js';
import { progressBar, type ProgressStream } from './progressBar.js';
import { runSegmentBatch } from './runSegmentBatch.js';
import { loadModelSpec } from '../segmentation/loadModelSpec.js';
import { interactiveSpecOf } from '../segmentation/interactive/resolveClicks.js';
import type { ClickPoint } from '../segmentation/interactive/ClickPoint.js';
import { parsePoint, pointUsage } from './parsePoint.js';
import { commandLineError } from './commandLineError.js';
import { terminalJson } from './terminalJson.js';
import { checkOutputName, writeSegmentCase, type CaseSummary } from './writeSegmentCase.js';
import { channelInputUsage, parseChannelInputs } from './parseChannelInputs.js';
import { writeResultLayers } from './writeResultLayers.js';
import { layersUsage, parseLayersOutput, type LayersOutput } from './parseLayersOutput.js';
import { writeResultSeg } from './writeResultSeg.js';
import { checkSegTarget } from './checkSegTarget.js';
import { layerFilePaths } from './layerFilePaths.js';
import { plannedLayerNames } from './plannedLayerNames.js';

export const segmentUsage = `Usage:
  axial segment --model <bundle|model.onnx> <input> <output.nii.gz> [--series N] [--device D] [--json]
  axial segment --model <multi-sequence bundle> --input NAME=PATH... <output.nii.gz>
                [--layers files|4d|none] [--seg <out.dcm>] [--device D] [--json]
  axial segment --model <DeepEdit bundle> <input> <output.nii.gz> [--point fg:x,y,z] [--point bg:x,y,z]
                [--roi scan|clicks] [--series N] [--device D] [--json]
  axial segment --model <bundle|model.onnx> --batch <folder|list.txt|list.csv|list.json> --out-dir <dir>
                [--shard i/n] [--skip-existing] [--device D] [--json]

--model    a MONAI bundle folder, or an .onnx with its .axial.json sidecar
--device   auto (default), cpu, cuda, dml, coreml or webgpu; auto tries the
           platform's GPU providers, then WebGPU, then the CPU
--batch    a folder (each .nii, .nii.gz, .nrrd, .nhdr file or subfolder is one
           case), a text file with one input path per line, or a .csv or
           .json list of multi-sequence cases: one column (key) per channel of
           the model, named as for --input, and an optional "case" naming the
           outputs
--shard    i/n: run only the cases whose sorted position mod n is i-1
--json     print a summary as JSON on stdout
${pointUsage}
--roi      scan (default): run on the whole scan; clicks: on a 128-voxel block
           around the clicks (faster; labels outside it are 0)
${channelInputUsage}
${layersUsage}
--seg      also write a DICOM SEG of the result, referencing the DICOM input (a
           multi-sequence model's first one); overlapping layers stay overlapping
${philipsScalingUsage}
${threadsUsage}`;

export interface SegmentCommandOptions {
  /** Default process.stderr. */
  readonly progress?: ProgressStream;
  /** How the inference process is started (tests pass flags and environment). */
  readonly inference?: InferenceProcessOptions;
}

/**
 * `axial segment ...`: `argv` is what follows the word `segment`.
 * Returns the exit code: 0 when every case succeeded, 1 otherwise.
 * @throws AxialError CLI_USAGE for bad arguments; in single mode, any failure of the run or the write.
 */
export async function runSegment(argv: readonly string[], io: CliIo, options: SegmentCommandOptions = {}): Promise<number> {
  const args = parseSegmentArgs(argv);
  if (args.help) {
    io.out(segmentUsage);
    return 0;
  }
  const progress = options.progress ?? process.stderr;
  if (args.batch !== undefined) {
    return runSegmentBatch({ ...args, batch: args.batch, runOptions: options.inference ?? {} }, io, progress);
  }
  const spec = await loadModelSpec(args.model);
  if (args.inputs.length > 0 && spec.interactive)
    throw new AxialError('CLI_USAGE', `${spec.name} takes clicks beside one image: give it as <input>, without --input`);
  const channels = args.inputs.length > 0 ? parseChannelInputs(args.inputs, spec) : undefined;
  const expected = channels ? 1 : 2;
  const [input, output] = channels ? [channels[0]!.path, args.positionals[0]] : args.positionals;
  if (input === undefined || output === undefined || args.positionals.length !== expected) {
    throw new AxialError('CLI_USAGE', `expected ${channels ? 'an output (the inputs come with --input)' : 'an input and an output'}\n${segmentUsage}`);
  }
  if (channels && args.series !== undefined) throw new AxialError('CLI_USAGE', '--series applies to one input; each --input must hold one series');
  checkOutputName(output);
  // Refused before the model runs, not after minutes of inference; the series' own files are checked again at the write.
  const guarded = [input, ...(channels ?? []).map((c) => c.path), ...(await listModelFiles(args.model))];
  if (args.seg !== undefined) {
    await assertNotInput(args.seg, guarded);
    const layerFiles = layerFilePaths(plannedLayerNames(spec), output, args.layers);
    await checkSegTarget({ seg: args.seg, input, series: args.series, output, layerFiles }).catch((error: unknown) => {
      throw commandLineError(error);
    });
  }
  await assertNotInput(output, guarded);
  // A DeepEdit model takes clicks (none: its automatic mode); the spec says which, and refuses clicks it cannot take.
  const interactive = interactiveSpecOf(spec, args.points.length) !== undefined;
  if (!interactive && args.roi !== 'scan') throw new AxialError('CLI_USAGE', '--roi applies to a DeepEdit model');
  const started = performance.now();
  const bar = progressBar(progress, '');
  let result: InferenceResult;
  try {
    result = await runInferenceProcess(
      {
        type: 'segment',
        inputPath: input,
        modelPath: args.model,
        device: args.device,
        philipsScaling: args.philipsScaling,
        ...(args.threads === undefined ? {} : { threads: args.threads }),
        ...(args.series ? { seriesIndex: args.series } : {}),
        ...(interactive ? { points: args.points, roi: args.roi } : {}),
        ...(channels ? { channelName: channels[0]!.name, moreChannels: channels.slice(1).map((c) => ({ name: c.name, inputPath: c.path })) } : {}),
      },
      { ...options.inference, onProgress: bar.update },
    );
  } catch (error) {
    throw commandLineError(error);
  } finally {
    bar.finish();
  }
  const summary = await writeSegmentCase(result, input, output, started, guarded);
  const layers = await writeResultLayers(result.layers ?? [], output, args.layers, [...result.inputFiles, ...guarded]);
  let seg: CaseSummary['seg'];
  if (args.seg !== undefined) {
    const written = await writeResultSeg({
      result,
      input,
      series: args.series,
      output: args.seg,
      modelName: spec.name,
      inputs: [...result.inputFiles, ...guarded, output],
    });
    seg = { output: args.seg, frames: written.frames, segments: written.segments };
    for (const w of written.warnings) io.err(`axial: warning: ${w}`);
  }
  return finishSingle({ ...summary, ...(layers.length > 0 ? { layers } : {}), ...(seg ? { seg } : {}) }, output, args.json, io);
}

function finishSingle(summary: CaseSummary, output: string, json: boolean, io: CliIo): number {
  reportProviders(summary, io);
  for (const w of summary.warnings ?? []) io.err(`axial: warning: ${w}`);
  if (json) io.out(terminalJson(summary));
  else io.err(`axial: wrote ${output} in ${summary.seconds?.total.toFixed(1)} s`);
  return 0;
}

export interface SegmentArgs {
  readonly model: string;
  readonly device: InferenceDevice;
  readonly json: boolean;
  readonly help: boolean;
  readonly positionals: string[];
  readonly series?: number;
  readonly batch?: string;
  readonly outDir?: string;
  readonly shard?: string;
  readonly skipExisting: boolean;
  readonly philipsScaling: PhilipsScaling;
  /** Threads that decode compressed DICOM frames; undefined for one per core. */
  readonly threads?: number;
  /** `--point` clicks for a DeepEdit model, in order. */
  readonly points: readonly ClickPoint[];
  readonly roi: 'scan' | 'clicks';
  /** `--input NAME=PATH` for a multi-sequence model, as given. */
  readonly inputs: readonly string[];
  readonly layers: LayersOutput;
  /** `--seg`: a DICOM SEG to write beside the NIfTI. */
  readonly seg?: string;
}

function parseSegmentArgs(argv: readonly string[]): SegmentArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        device: { type: 'string', default: 'auto' },
        json: { type: 'boolean', default: false },
        series: { type: 'string' },
        batch: { type: 'string' },
        'out-dir': { type: 'string' },
        shard: { type: 'string' },
        'skip-existing': { type: 'boolean', default: false },
        'philips-scaling': { type: 'string' },
        threads: { type: 'string' },
        point: { type: 'string', multiple: true },
        roi: { type: 'string', default: 'scan' },
        input: { type: 'string', multiple: true },
        layers: { type: 'string' },
        seg: { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new AxialError('CLI_USAGE', `${(error as Error).message}\n${segmentUsage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return {
      model: '',
      device: 'auto',
      json: false,
      help: true,
      positionals,
      skipExisting: false,
      philipsScaling: 'precise',
      points: [],
      roi: 'scan',
      inputs: [],
      layers: 'files',
    };
  }
  if (values.model === undefined) throw new AxialError('CLI_USAGE', `--model is required\n${segmentUsage}`);
  const device = values.device as InferenceDevice;
  if (!inferenceDevices.includes(device)) {
    throw new AxialError('CLI_USAGE', `--device must be one of ${inferenceDevices.join(', ')}, got "${values.device}"`);
  }
  const series = values.series === undefined ? undefined : Number(values.series);
  if (series !== undefined && !(Number.isInteger(series) && series >= 1)) {
    throw new AxialError('CLI_USAGE', `--series must be a series number from 1 (as "axial info" lists them), got ${values.series}`);
  }
  const threads = parseThreads(values.threads);
  const batchOnly = (['out-dir', 'shard', 'skip-existing'] as const).filter((k) => values[k] !== undefined && values[k] !== false);
  if (values.batch === undefined && batchOnly.length > 0) throw new AxialError('CLI_USAGE', `--${batchOnly[0]} needs --batch`);
  if (values.batch !== undefined && series !== undefined) throw new AxialError('CLI_USAGE', '--series applies to one input, not --batch');
  const points = (values.point ?? []).map(parsePoint);
  if (values.batch !== undefined && points.length > 0) throw new AxialError('CLI_USAGE', '--point applies to one input, not --batch');
  const inputs = values.input ?? [];
  if (values.batch !== undefined && inputs.length > 0) throw new AxialError('CLI_USAGE', '--input applies to one case, not --batch');
  if (values.batch !== undefined && values.seg !== undefined) throw new AxialError('CLI_USAGE', '--seg applies to one case, not --batch');
  const roi = values.roi;
  if (roi !== 'scan' && roi !== 'clicks') throw new AxialError('CLI_USAGE', `--roi must be scan or clicks, got "${roi}"`);
  return {
    model: values.model,
    device,
    json: values.json,
    help: false,
    positionals,
    ...(series === undefined ? {} : { series }),
    ...(values.batch === undefined ? {} : { batch: values.batch }),
    ...(values['out-dir'] === undefined ? {} : { outDir: values['out-dir'] }),
    ...(values.shard === undefined ? {} : { shard: values.shard }),
    skipExisting: values['skip-existing'],
    philipsScaling: parsePhilipsScaling(values['philips-scaling']),
    ...(threads === undefined ? {} : { threads }),
    points,
    roi,
    inputs,
    layers: parseLayersOutput(values.layers),
    ...(values.seg === undefined ? {} : { seg: values.seg }),
  };
}

/** Says on stderr which provider ran and why each one before it was skipped. */
export function reportProviders(summary: CaseSummary, io: CliIo): void {
  if (!summary.provider) return;
  io.err(`axial: ran on ${summary.provider}`);
  for (const s of summary.skippedProviders ?? []) io.err(`axial:   skipped ${s.provider}: ${s.reason}`);
}
