import { performance } from 'node:perf_hooks';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { scanInput } from '../input/scanInput.js';
import type { PhilipsScaling } from '../dicom/philips/applyPhilipsScaling.js';
import type { ClickPoint } from '../segmentation/interactive/ClickPoint.js';
import { segmentWithClicks } from '../segmentation/interactive/segmentWithClicks.js';
import type { ModelSpec } from '../segmentation/ModelSpec.js';
import { createOnnxRunner, type InferenceDevice } from '../segmentation/onnx/createOnnxRunner.js';
import type { InferenceResult } from '../segmentation/process/inferenceMessages.js';
import { chooseSeriesOption } from './chooseSeriesOption.js';
import { writeSegmentCase, type CaseSummary } from './writeSegmentCase.js';

export interface ClickSegmentParams {
  readonly spec: ModelSpec;
  readonly input: string;
  readonly output: string;
  readonly points: readonly ClickPoint[];
  readonly roi: 'scan' | 'clicks';
  readonly device: InferenceDevice;
  readonly series?: number;
  readonly philipsScaling: PhilipsScaling;
  readonly threads?: number;
  /** Files never to write over: the input and the model's. */
  readonly guarded: readonly string[];
}

/**
 * `axial segment --model <DeepEdit bundle> ... --point ...`: one run of segmentWithClicks, in this process (one
 * small network on one block; the app runs the same function in its inference process), written as `segment` writes.
 * @throws AxialError CLI_USAGE for a click outside the scan or naming an unknown label; what loading, the model
 *   and the write throw.
 */
export async function runClickSegment(params: ClickSegmentParams): Promise<CaseSummary> {
  const started = performance.now();
  const scan = await scanInput(params.input, { philipsScaling: params.philipsScaling, ...(params.threads ? { threads: params.threads } : {}) });
  const series = chooseSeriesOption(scan.series, params.series === undefined ? undefined : String(params.series), params.input);
  const { volume, warnings } = await series.load();
  const inputLoaded = performance.now();
  const runner = await createOnnxRunner(params.spec.modelPath, params.device, params.spec);
  const modelLoaded = performance.now();
  try {
    const result = await segmentWithClicks({ volume, spec: params.spec, runBatch: runner.runBatch, points: params.points, roi: params.roi }).catch(
      (error: unknown) => {
        // A click the function refuses is a mistake on the command line here.
        if (isAxialError(error) && error.code === 'IPC_INVALID_ARGUMENTS') throw new AxialError('CLI_USAGE', `--point: ${error.message}`, { cause: error });
        throw error;
      },
    );
    const inference: InferenceResult = {
      labels: result.labels,
      segments: result.segments,
      seconds: {
        preprocess: result.seconds.preprocess,
        inference: result.seconds.network,
        network: result.seconds.network,
        postprocess: result.seconds.postprocess,
        total: result.seconds.total,
        loadInput: (inputLoaded - started) / 1000,
        loadModel: (modelLoaded - inputLoaded) / 1000,
      },
      provider: runner.provider,
      skippedProviders: runner.skipped,
      inputFiles: [...series.files],
      warnings: [...params.spec.warnings, ...series.warnings, ...warnings],
    };
    return await writeSegmentCase(inference, params.input, params.output, started, params.guarded);
  } finally {
    await runner.release();
  }
}
