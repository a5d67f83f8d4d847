import { stat } from 'node:fs/promises';
import type { ModelSpec, PostprocessingStep, PreprocessingStep, SegmentLabel, SlidingWindowSpec } from '../segmentation/ModelSpec.js';
import { mergedLabelNames } from '../segmentation/pipeline/mergedLabelNames.js';
import { loadModelSpec } from '../segmentation/loadModelSpec.js';
import type { CliIo } from './CliIo.js';
import { terminalJson } from './terminalJson.js';
import { terminalText } from './terminalText.js';

const times = (v: readonly number[]): string => v.join('×');
const orNone = (v: number | null): string => (v === null ? 'None' : String(v));

/** One line per preprocessing step, in MONAI's terms. */
function describePreprocessingStep(step: PreprocessingStep): string {
  switch (step.kind) {
    case 'Orientationd':
      return `Orientationd: reorient to ${step.axcodes}`;
    case 'Spacingd':
      return `Spacingd: resample to ${times(step.pixdim)} mm, ${step.mode}`;
    case 'ScaleIntensityRanged':
      return `ScaleIntensityRanged: [${step.aMin}, ${step.aMax}] → [${orNone(step.bMin)}, ${orNone(step.bMax)}]${step.clip ? ', clipped' : ''}`;
    case 'ScaleIntensityRangePercentilesd':
      return (
        `ScaleIntensityRangePercentilesd: percentiles ${step.lower}–${step.upper} → [${orNone(step.bMin)}, ${orNone(step.bMax)}]` +
        `${step.clip ? ', clipped' : ''}${step.relative ? ', relative' : ''}${step.channelWise ? ', per channel' : ''}`
      );
    case 'ScaleIntensityd':
      return step.minv !== null || step.maxv !== null
        ? `ScaleIntensityd: min–max to [${orNone(step.minv)}, ${orNone(step.maxv)}]${step.channelWise ? ', per channel' : ''}`
        : `ScaleIntensityd: multiply by 1 + ${orNone(step.factor)}`;
    case 'NormalizeIntensityd': {
      const how = step.subtrahend !== null || step.divisor !== null ? `(x − ${orNone(step.subtrahend)}) / ${orNone(step.divisor)}` : 'zero mean, unit variance';
      return `NormalizeIntensityd: ${how}${step.nonzero ? ' over nonzero voxels' : ''}${step.channelWise ? ', per channel' : ''}`;
    }
    case 'ResizeWithPadOrCropd': {
      const pad = step.padMode === 'constant' ? `pad value ${step.padValue}` : `pad mode ${step.padMode}`;
      return `ResizeWithPadOrCropd: centre pad/crop to ${times(step.spatialSize)} (${pad})`;
    }
    case 'CropForegroundd': {
      const overrun = step.margin.some((m) => m > 0) ? (step.allowSmaller ? ', kept inside the image' : `, overrun padded (${step.padMode})`) : '';
      return `CropForegroundd: crop to voxels > ${step.threshold}, margin ${times(step.margin)}${overrun}`;
    }
  }
}

/** One line per postprocessing step. */
function describePostprocessingStep(step: PostprocessingStep): string {
  switch (step.kind) {
    case 'Activationsd':
      return `Activationsd: ${step.softmax ? 'softmax' : step.sigmoid ? 'sigmoid' : 'none'}`;
    case 'Invertd':
      return `Invertd: undo the preprocessing (${step.nearestInterp ? 'nearest neighbour' : 'interpolating'})`;
    case 'AsDiscreted': {
      const parts = [step.argmax ? 'argmax' : '', step.threshold !== null ? `threshold ${step.threshold}` : ''];
      return `AsDiscreted: ${parts.filter(Boolean).join(', ') || 'no change'}`;
    }
    case 'KeepLargestConnectedComponentd': {
      const labels = step.appliedLabels === null ? 'all labels' : `labels ${step.appliedLabels.join(', ')}`;
      return `KeepLargestConnectedComponentd: ${labels}, ${step.independent ? 'each on its own' : 'together'}, connectivity ${step.connectivity}`;
    }
    case 'Lambdad':
      return `Lambdad: channels merged into one label map by "${step.source}"`;
  }
}

/** The inferer in one line; a roiSize of 0 on an axis means the image's own size there. */
function describeInferer(inferer: SlidingWindowSpec): string {
  if (inferer.roiSize.every((v) => v === 0)) return 'the whole image in one window (SimpleInferer)';
  const roi = inferer.roiSize.map((v) => (v === 0 ? 'image' : String(v))).join('×');
  const blend = inferer.mode === 'gaussian' ? `gaussian (sigma_scale ${inferer.sigmaScale})` : 'constant';
  const padding = inferer.paddingMode === 'constant' ? `constant ${inferer.cval}` : inferer.paddingMode;
  return `sliding window ${roi}, ${inferer.swBatchSize} per batch, overlap ${inferer.overlap}, blend ${blend}, padding ${padding}`;
}

const labelLines = (labels: readonly SegmentLabel[]): string[] => labels.map((l) => `  ${String(l.value).padStart(3)}  ${l.name}`);

/**
 * The label map's labels; for a sigmoid model also its layers (one per output channel, overlapping), and then the
 * labels are what the Lambdad merge gives (brats: 1, 2, 4), or channel c as label c + 1 without one.
 */
function describeLabels(spec: ModelSpec): string[] {
  const sigmoid = spec.postprocessing.some((s) => s.kind === 'Activationsd' && s.sigmoid);
  if (!sigmoid) return [`Labels (${spec.output.labels.length}):`, ...labelLines(spec.output.labels)];
  const lambda = spec.postprocessing.find((s) => s.kind === 'Lambdad');
  const labels = lambda ? mergedLabelNames(lambda.expression, spec.output.labels) : spec.output.labels.map((l) => ({ value: l.value + 1, name: l.name }));
  return [
    `Layers (${spec.output.labels.length}, one per output channel, may overlap):`,
    ...labelLines(spec.output.labels),
    `Labels (${labels.length}${lambda ? ', merged by the Lambdad' : ''}):`,
    ...labelLines(labels),
  ];
}

const numbered = (lines: readonly string[]): string[] => (lines.length === 0 ? ['  (none)'] : lines.map((l, i) => `  ${i + 1}. ${l}`));

function formatSpec(spec: ModelSpec): string[] {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const shape = spec.input.spatialShape ? `, declared spatial shape ${times(spec.input.spatialShape)}` : '';
  const lines = [
    `${spec.name} (${spec.source === 'bundle' ? 'MONAI bundle' : 'ONNX model with sidecar'})`,
    `  model:  ${spec.modelPath}`,
    `  input:  ${plural(spec.input.channels, 'channel')}${shape}${spec.input.channelNames ? ` (${spec.input.channelNames.join(', ')})` : ''}`,
    `  output: ${plural(spec.output.channels, 'channel')}`,
    ...describeLabels(spec),
    'Preprocessing:',
    ...numbered(spec.preprocessing.map(describePreprocessingStep)),
    `Inferer: ${describeInferer(spec.inferer)}`,
    'Postprocessing:',
    ...numbered(spec.postprocessing.map(describePostprocessingStep)),
  ];
  if (spec.ignored.length > 0) lines.push('Ignored (no-ops for Axial):', ...spec.ignored.map((i) => `  ${i}`));
  if (spec.warnings.length > 0) lines.push('Warnings:', ...spec.warnings.map((w) => `  ${w}`));
  return lines;
}

/**
 * `axial bundle inspect <dir|model.onnx> [--json]`: what Axial derived from a
 * MONAI bundle (or an ONNX model's sidecar): network I/O, labels, the
 * pipeline, what it ignores, and every item it cannot run. A bundle is runnable only with its
 * models/model.onnx there, as `axial segment` needs it; its configs are checked either way. The JSON says
 * both: `modelFound` and `runnable` (the model found and nothing unsupported).
 * @returns 0 when the model can run; 1 after the one-line error on stderr when anything is unsupported
 *   (MODEL_UNSUPPORTED) or else its ONNX model is missing (MODEL_NOT_FOUND).
 * @throws AxialError from loadModelSpec (MODEL_NOT_FOUND, MODEL_INVALID).
 */
export async function runBundleInspect(path: string, json: boolean, io: CliIo): Promise<number> {
  const spec = await loadModelSpec(path, { configsOnly: true });
  const modelFound = (await stat(spec.modelPath).catch(() => undefined))?.isFile() === true;
  const runnable = modelFound && spec.unsupported.length === 0;
  const noModel = 'the bundle has no ONNX model (models/model.onnx)';
  if (json) io.out(terminalJson({ ...spec, modelFound, runnable }));
  else {
    // Each line is one line: names and labels come from the bundle's own files.
    for (const line of formatSpec(spec)) io.out(terminalText(line, { singleLine: true }));
    if (spec.unsupported.length > 0) io.out(`Unsupported (${spec.unsupported.length}):`);
    for (const item of spec.unsupported) io.out(terminalText(`  ${item.path} ${item.name}: ${item.reason}`, { singleLine: true }));
    io.out(`Runnable: ${runnable ? 'yes' : `no${modelFound ? '' : ` — ${noModel}`}`}`);
  }
  if (runnable) return 0;
  // The same one-line form as every other failure, so scripts read one code: what no exported model would mend
  // first, then the missing model (what segment fails with).
  const line =
    spec.unsupported.length > 0
      ? `MODEL_UNSUPPORTED: ${path}: Axial cannot run this model as written: ${spec.unsupported.map((u) => `${u.name} (${u.reason})`).join('; ')}`
      : `MODEL_NOT_FOUND: ${path}: ${noModel}; export one there with "python -m monai.bundle onnx_export"`;
  io.err(terminalText(`axial: error ${line}`, { singleLine: true }));
  return 1;
}
