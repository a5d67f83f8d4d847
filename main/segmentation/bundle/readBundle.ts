import type { ModelSpec } from '../ModelSpec.js';
import { inputChannelProblems } from './inputChannelProblems.js';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AxialError, isAxialError } from '../../errors/AxialError.js';
import { mapPipeline } from './mapPipeline.js';
import { readBundleMetadata, type BundleMetadata } from './readBundleMetadata.js';
import { readConfigFile } from './readConfigFile.js';
import { readMacroConfigs } from './readMacroConfigs.js';
import { resolveBundleConfig } from './resolveBundleConfig.js';

/** Where MONAI's `onnx_export` is told to write, and where Axial looks. */
export const bundleModelFile = join('models', 'model.onnx');

const inferenceConfigNames = ['inference.json', 'inference.yaml', 'inference.yml'];

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function readInferenceConfig(root: string): Promise<{ config: Record<string, unknown>; file: string }> {
  for (const name of inferenceConfigNames) {
    const file = join(root, 'configs', name);
    if (await isFile(file)) return { config: await readConfigFile(file), file };
  }
  throw new AxialError('MODEL_INVALID', `not a MONAI bundle: no configs/${inferenceConfigNames.join(' or configs/')}`, { file: root });
}

/** One channel count from network_def, when it is a plain number there. */
function networkNumber(config: Record<string, unknown>, key: string, file: string): number | undefined {
  try {
    const value = resolveBundleConfig(config, [`network_def#${key}`], { file }).get(`network_def#${key}`);
    return typeof value === 'number' ? value : undefined;
  } catch (error) {
    if (isAxialError(error)) return undefined;
    throw error;
  }
}

interface Channels {
  readonly input: number;
  readonly output: number;
  readonly warnings: string[];
}

/** Channel counts: metadata.json's, unless inference.json's network_def says otherwise (what MONAI runs wins). */
function reconcileChannels(metadata: BundleMetadata, config: Record<string, unknown>, file: string): Channels {
  const warnings: string[] = [];
  const pick = (what: string, declared: number, network: number | undefined): number => {
    if (network === undefined || network === declared) return declared;
    warnings.push(`metadata.json declares ${declared} ${what} channels but inference's network_def has ${network}; using ${network}, which is what MONAI runs`);
    return network;
  };
  const input = pick('input', metadata.inputChannels, networkNumber(config, 'in_channels', file));
  const outputOnNetwork = networkNumber(config, 'out_channels', file) ?? networkNumber(config, 'num_classes', file);
  const output = pick('output', metadata.outputChannels, outputOnNetwork);
  const unnamed = metadata.labels.length === 0 ? 'has no channel_def' : metadata.labels.length !== output ? `names ${metadata.labels.length} labels` : '';
  if (unnamed) warnings.push(`the output has ${output} channels but metadata.json ${unnamed}`);
  return { input, output, warnings };
}

/**
 * Reads a MONAI bundle folder (configs/metadata.json, configs/inference.json or
 * .yaml, models/model.onnx) into the pipeline Axial runs. Transforms and
 * settings Axial cannot reproduce are listed in `unsupported`, not thrown.
 * With `configsOnly` (for `bundle inspect`), a missing models/model.onnx is
 * a warning instead of an error, so a bundle's configs can be checked alone.
 * @throws AxialError MODEL_NOT_FOUND when the folder or models/model.onnx is missing;
 *   MODEL_INVALID when a config is missing, malformed or too large, has a reference cycle or an unknown `@id`, or goes
 *   past a limit on what resolving it builds (see BundleBudget); INPUT_PATH_OUTSIDE_FOLDER for a macro whose file
 *   leads out of the bundle; INPUT_NOT_A_FILE for a config that is a FIFO, device or folder.
 */
export async function readBundle(folder: string, options: { configsOnly?: boolean } = {}): Promise<ModelSpec> {
  const root = resolve(folder);
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) {
    throw new AxialError('MODEL_NOT_FOUND', 'no bundle folder here', { file: root });
  }
  const metadata = await readBundleMetadata(join(root, 'configs', 'metadata.json'));
  const { config, file } = await readInferenceConfig(root);
  const modelPath = join(root, bundleModelFile);
  const modelMissing = !(await isFile(modelPath));
  if (modelMissing && !options.configsOnly) {
    throw new AxialError('MODEL_NOT_FOUND', `the bundle has no ONNX model; export one there with "python -m monai.bundle onnx_export"`, { file: modelPath });
  }
  const ids = ['preprocessing', 'inferer', 'postprocessing'];
  const readOtherConfig = await readMacroConfigs(config, root, file);
  const resolved = resolveBundleConfig(config, ids, { file, readOtherConfig });
  const channels = reconcileChannels(metadata, config, file);
  const pipeline = mapPipeline({
    preprocessing: resolved.get('preprocessing'),
    inferer: resolved.get('inferer'),
    postprocessing: resolved.get('postprocessing'),
    imageKey: metadata.imageKey,
    predKey: metadata.predKey,
    outputChannels: channels.output,
  });
  // The metadata's channel_def names the channels; without one, a ConcatItemsd's keys do (in the order it stacks them).
  const channelNames = [metadata.inputChannelNames, pipeline.channelKeys].find((names) => names?.length === channels.input);
  return {
    name: metadata.name ?? basename(root),
    source: 'bundle',
    modelPath,
    ...(metadata.description === undefined ? {} : { description: metadata.description }),
    input: {
      channels: channels.input,
      ...(metadata.inputSpatialShape ? { spatialShape: metadata.inputSpatialShape } : {}),
      ...(channelNames ? { channelNames } : {}),
    },
    output: { channels: channels.output, labels: metadata.labels },
    preprocessing: pipeline.preprocessing,
    inferer: pipeline.inferer,
    postprocessing: pipeline.postprocessing,
    ...(pipeline.interactive === undefined ? {} : { interactive: pipeline.interactive }),
    unsupported: [
      ...pipeline.unsupported,
      ...inputChannelProblems(channels.input, pipeline.interactive),
      ...(pipeline.channelKeys && pipeline.channelKeys.length !== channels.input
        ? [
            {
              path: 'preprocessing',
              name: 'ConcatItemsd',
              reason: `it stacks ${pipeline.channelKeys.length} images, the network takes ${channels.input} channels`,
            },
          ]
        : []),
    ],
    ignored: pipeline.ignored,
    warnings: [...(modelMissing ? [`no ${bundleModelFile} yet: only the configs were checked`] : []), ...channels.warnings, ...pipeline.warnings],
  };
}
