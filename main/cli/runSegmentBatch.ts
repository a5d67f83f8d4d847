import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PhilipsScaling } from '../dicom/philips/applyPhilipsScaling.js';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { checkCasesOffModel } from './checkCasesOffModel.js';
import { listModelFiles } from '../segmentation/listModelFiles.js';
import { assertNotInput } from '../io/assertNotInput.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { InferenceDevice } from '../segmentation/onnx/createOnnxRunner.js';
import { startInferenceProcess, type InferenceProcess, type InferenceProcessOptions } from '../segmentation/process/runInferenceProcess.js';
import { ModelFailedError } from '../segmentation/process/ModelFailedError.js';
import type { CliIo } from './CliIo.js';
import { channelListPattern, listBatchCases, parseShard, shardCases, type BatchCase, type BatchChannel, type ChannelOrder } from './listBatchCases.js';
import { progressBar, type ProgressStream } from './progressBar.js';
import { commandLineError } from './commandLineError.js';
import { terminalJson } from './terminalJson.js';
import { terminalText } from './terminalText.js';
import { writeSegmentCase, type CaseSummary } from './writeSegmentCase.js';
import { loadModelSpec } from '../segmentation/loadModelSpec.js';
import type { ModelSpec } from '../segmentation/ModelSpec.js';
import { parseChannelInputs } from './parseChannelInputs.js';
import { checkBatchOutputs } from './checkBatchOutputs.js';
import { plannedLayerNames } from './plannedLayerNames.js';
import type { SegmentRequest } from '../segmentation/process/inferenceMessages.js';
import { writeResultLayers } from './writeResultLayers.js';
import { makeBatchOutDir } from './makeBatchOutDir.js';
import type { LayersOutput } from './parseLayersOutput.js';

export interface SegmentBatchArgs {
  readonly model: string;
  readonly device: InferenceDevice;
  readonly batch: string;
  readonly outDir?: string;
  readonly shard?: string;
  readonly skipExisting: boolean;
  readonly json: boolean;
  readonly runOptions: InferenceProcessOptions;
  /** Philips MR values: precise (default) or display. */
  readonly philipsScaling?: PhilipsScaling;
  /** Threads that decode compressed DICOM frames (default one per core). */
  readonly threads?: number;
  /** A multi-label model's layers beside each case's output (default files). */
  readonly layers?: LayersOutput;
}

/** The batch's summary, written as axial-summary.json (axial-summary.shard-i-of-n.json for a shard). */
export interface BatchSummary {
  readonly model: string;
  readonly device: InferenceDevice;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly cases: number;
  readonly ok: number;
  readonly failed: number;
  readonly skipped: number;
  readonly seconds: number;
  readonly results: readonly (CaseSummary & { readonly case: string })[];
}

/**
 * `axial segment --batch`: runs every case of this shard in one inference
 * process (one model session), starting a new process only after a crash. A
 * case's failure (its input, its run, or writing its files) is recorded in the
 * summary (and `<case>.axial.json` where that can be written) and the rest go
 * on; a model that cannot be read or opened stops the batch (the inference process says so: ModelFailedError).
 * Returns 0 only when every case succeeded or was skipped.
 * @throws AxialError CLI_USAGE for a missing --out-dir, a bad --shard, an empty batch, a list whose rows are not the
 *   model's channels, or cases whose files would leave --out-dir or clash (checkBatchOutputs), all before any case
 *   runs; INPUT_NOT_FOUND; OUTPUT_IS_INPUT for a case that would write a model's file in --out-dir (checkCasesOffModel),
 *   for --out-dir the batch folder or a case's folder, and OUTPUT_WRITE_FAILED for an --out-dir that cannot be made
 *   (makeBatchOutDir), also before any case runs; OUTPUT_WRITE_FAILED for the summary.
 */
export async function runSegmentBatch(args: SegmentBatchArgs, io: CliIo, progress: ProgressStream): Promise<number> {
  if (args.outDir === undefined) throw new AxialError('CLI_USAGE', '--batch needs --out-dir <folder>');
  const outDir = args.outDir;
  const shard = args.shard === undefined ? null : parseShard(args.shard);
  const spec = await batchSpec(args.model, channelListPattern.test(args.batch));
  // Every row of a multi-sequence list is matched to the model's channels here, before any case runs.
  const orderChannels: ChannelOrder | undefined = spec
    ? (channels) =>
        parseChannelInputs(
          channels.map((ch) => `${ch.name}=${ch.input}`),
          spec,
        ).map(({ name, path }) => ({ name, input: path }))
    : undefined;
  const all = await listBatchCases(args.batch, outDir, orderChannels);
  const layerNames = spec ? plannedLayerNames(spec) : [];
  checkBatchOutputs(all, layerNames, args.layers ?? 'files', outDir, args.batch);
  const cases = shard ? shardCases(all, shard) : all;
  // A model kept in the output folder must survive its cases: `<case>.axial.json` could be its sidecar.
  const modelFiles = await listModelFiles(args.model);
  await checkCasesOffModel(all, layerNames, args.layers ?? 'files', outDir, modelFiles);
  await makeBatchOutDir(outDir, args.batch, caseInputs(all));
  const started = performance.now();
  io.err(`axial: ${cases.length} of ${all.length} cases${shard ? ` (shard ${shard.index}/${shard.count})` : ''}`);
  const results: BatchSummary['results'][number][] = [];
  let worker: InferenceProcess | null = null;
  /** The model's failure, once a case met it: recorded for every case after, which cannot run either. */
  let stop: NonNullable<CaseSummary['error']> | null = null;
  try {
    for (const [n, c] of cases.entries()) {
      const label = `[${n + 1}/${cases.length}] ${terminalText(c.name, { singleLine: true })}`;
      const output = join(outDir, `${c.name}.nii.gz`);
      const channels = c.channels;
      const guarded = [c.input, ...(channels ?? []).map((ch) => ch.input), ...modelFiles];
      let summary: CaseSummary;
      // A finished case stays skipped (its .axial.json untouched) after a model failure too: a resubmitted batch whose
      // model then fails must not mark its finished cases failed.
      // An output that is one of the case's own inputs (a list in --out-dir naming x.nii.gz) is no finished case.
      if (args.skipExisting && existsSync(output) && (await isNotInput(output, guarded))) summary = { input: c.input, output, status: 'skipped' };
      else if (stop) summary = { input: c.input, output, status: 'failed', error: stop };
      else {
        if (!worker?.alive) worker = startInferenceProcess(args.runOptions);
        const run = await runCase(worker, c, channels, output, guarded, args, progressBar(progress, `${label} `));
        summary = run.summary;
        // Not by its code: a blank case's CropForegroundd fails MODEL_INVALID too, and must fail alone.
        if (run.modelFailed) stop = summary.error!;
      }
      summary = await writeCaseSummary(join(outDir, `${c.name}.axial.json`), summary, guarded);
      results.push({ case: c.name, ...summary });
      io.err(`axial: ${label} ${describe(summary)}`);
    }
  } finally {
    await worker?.close();
  }
  const summary: BatchSummary = {
    model: args.model,
    device: args.device,
    shard,
    cases: cases.length,
    ok: results.filter((r) => r.status === 'ok').length,
    failed: results.filter((r) => r.status === 'failed').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    seconds: (performance.now() - started) / 1000,
    results,
  };
  const name = shard ? `axial-summary.shard-${shard.index}-of-${shard.count}.json` : 'axial-summary.json';
  const batchInputs = [args.batch, ...caseInputs(all), ...modelFiles];
  await writeFileAtomic(join(outDir, name), [Buffer.from(`${terminalJson(summary)}\n`)], batchInputs);
  if (args.json) io.out(terminalJson(summary));
  io.err(`axial: ${summary.ok} ok, ${summary.failed} failed, ${summary.skipped} skipped; summary in ${join(outDir, name)}`);
  return summary.failed === 0 ? 0 : 1;
}

/**
 * The model's spec where the batch needs it before running: a multi-sequence list (its columns are the model's
 * channels) or a sigmoid model's layer files (checked for clashes). A model that does not load is then a CLI error for
 * a list, and for other batches is left to the cases, which record its failure.
 * @throws AxialError from loadModelSpec, as a command-line error, for a multi-sequence list.
 */
async function batchSpec(model: string, channelList: boolean): Promise<ModelSpec | undefined> {
  try {
    return await loadModelSpec(model, { configsOnly: true });
  } catch (error) {
    if (channelList) throw commandLineError(error);
    return undefined;
  }
}

async function runCase(
  worker: InferenceProcess,
  c: BatchCase,
  channels: readonly BatchChannel[] | undefined,
  output: string,
  guarded: readonly string[],
  args: SegmentBatchArgs,
  bar: ReturnType<typeof progressBar>,
): Promise<{ summary: CaseSummary; modelFailed: boolean }> {
  const started = performance.now();
  try {
    // An output that is one of the case's inputs is refused before the model runs, not after.
    await assertNotInput(output, guarded);
    const request: SegmentRequest = {
      type: 'segment',
      inputPath: c.input,
      modelPath: args.model,
      device: args.device,
      philipsScaling: args.philipsScaling,
      threads: args.threads,
      ...(channels ? { channelName: channels[0]!.name, moreChannels: channels.slice(1).map((ch) => ({ name: ch.name, inputPath: ch.input })) } : {}),
    };
    const result = await worker.segment(request, { onProgress: bar.update }).finally(bar.finish);
    // The label map is written last: --skip-existing takes it as the mark of a finished case, layers and all.
    const layers = await writeResultLayers(result.layers ?? [], output, args.layers ?? 'files', [...result.inputFiles, ...guarded]);
    const summary = await writeSegmentCase(result, c.input, output, started, guarded);
    return { summary: layers.length > 0 ? { ...summary, layers } : summary, modelFailed: false };
  } catch (thrown) {
    const error = commandLineError(thrown);
    const code = isAxialError(error) ? error.code : 'INTERNAL';
    const message = error instanceof Error ? error.message : String(error);
    const seconds = (performance.now() - started) / 1000;
    const summary: CaseSummary = { input: c.input, output, status: 'failed', seconds: { total: seconds }, error: { code, message } };
    return { summary, modelFailed: thrown instanceof ModelFailedError };
  }
}

/** Whether `output` is none of `inputs` (see assertNotInput). */
const isNotInput = (output: string, inputs: readonly string[]): Promise<boolean> =>
  assertNotInput(output, inputs).then(
    () => true,
    () => false,
  );

/**
 * Writes a case's `<case>.axial.json`, and returns its summary as the batch records it: failed, with the write's
 * error (appended to a failed case's own), where the file cannot be written (write-protected, or one of the inputs),
 * so that one case's file does not end the batch. An existing `<case>.axial.json` of a skipped case is kept: it records the run that made the output.
 */
async function writeCaseSummary(path: string, summary: CaseSummary, guarded: readonly string[]): Promise<CaseSummary> {
  if (summary.status === 'skipped' && existsSync(path)) return summary;
  try {
    await writeFileAtomic(path, [Buffer.from(`${terminalJson(summary)}\n`)], guarded);
    return summary;
  } catch (error) {
    const code = isAxialError(error) ? error.code : 'INTERNAL';
    const message = error instanceof Error ? error.message : String(error);
    // A case's own failure stays its error, saying that its file is missing too; a case that ran is failed by its file's.
    const own = summary.error;
    return {
      ...summary,
      status: 'failed',
      error: own ? { ...own, message: `${own.message}; and its .axial.json was not written: ${message}` } : { code, message },
    };
  }
}

/** Every input of the batch's cases, channels included. */
const caseInputs = (cases: readonly BatchCase[]): string[] => cases.flatMap((c) => [c.input, ...(c.channels ?? []).map((ch) => ch.input)]);

function describe(summary: CaseSummary): string {
  if (summary.status === 'skipped') return 'skipped (output exists)';
  if (summary.error) return `failed: ${summary.error.code}: ${terminalText(summary.error.message, { singleLine: true })}`;
  return `ok on ${summary.provider} in ${summary.seconds?.total.toFixed(1)} s`;
}
