import { z } from 'zod';
import { AxialError } from '../../errors/AxialError.js';
import type { SegmentLabel } from '../ModelSpec.js';
import { formatSchemaIssues } from './formatSchemaIssues.js';
import { readConfigFile } from './readConfigFile.js';

/** What Axial takes from a bundle's configs/metadata.json. */
export interface BundleMetadata {
  readonly name?: string;
  readonly description?: string;
  /** Data key of the first input (usually `image`). */
  readonly imageKey: string;
  readonly inputChannels: number;
  readonly inputSpatialShape?: readonly [number, number, number];
  /** Data key of the first output (usually `pred`). */
  readonly predKey: string;
  readonly outputChannels: number;
  readonly labels: readonly SegmentLabel[];
  /** The first input's channel_def names in channel order, when it names every channel. */
  readonly inputChannelNames?: readonly string[];
}

const channelDefSchema = z.record(z.string().regex(/^\d+$/, 'channel_def keys are label values (0, 1, ...)'), z.string());

const tensorSchema = z
  .object({
    num_channels: z.number().int().positive(),
    spatial_shape: z.array(z.union([z.number(), z.string()])).optional(),
    channel_def: channelDefSchema.optional(),
    // pediatric_abdominal_ct_segmentation names its labels here instead (MONAI's schema does not check either).
    label_def: channelDefSchema.optional(),
  })
  .loose();

const nonEmpty = (what: string) => z.record(z.string(), tensorSchema).refine((r) => Object.keys(r).length > 0, `network_data_format declares no ${what}`);

const metadataSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    network_data_format: z.object({ inputs: nonEmpty('inputs'), outputs: nonEmpty('outputs') }).loose(),
  })
  .loose();

function firstEntry<T>(record: Record<string, T>): [string, T] {
  return Object.entries(record)[0]!;
}

function spatialShapeOf(shape: readonly (number | string)[] | undefined): [number, number, number] | undefined {
  if (shape?.length !== 3 || !shape.every((v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0)) return undefined;
  return [shape[0]!, shape[1]!, shape[2]!];
}

/** Label value → name from a `channel_def` (`{"0": "background", "1": "spleen"}`), in value order. */
export function labelsFromChannelDef(channelDef: Readonly<Record<string, string>> | undefined): SegmentLabel[] {
  return Object.entries(channelDef ?? {})
    .map(([value, name]) => ({ value: Number(value), name }))
    .sort((a, b) => a.value - b.value);
}

/**
 * Reads a bundle's metadata.json: the first input's key, channels and spatial
 * shape, the first output's key, channels and labels (channel_def, or label_def where a bundle uses that).
 * @throws AxialError MODEL_INVALID when the file is missing, too large, not JSON, or lacks network_data_format;
 *   INPUT_NOT_A_FILE for a FIFO, device or folder.
 */
export async function readBundleMetadata(file: string): Promise<BundleMetadata> {
  const json = await readConfigFile(file, 'not a MONAI bundle: configs/metadata.json cannot be read');
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) throw new AxialError('MODEL_INVALID', `metadata does not describe the network:\n${formatSchemaIssues(parsed.error.issues)}`, { file });
  const { inputs, outputs } = parsed.data.network_data_format;
  const [imageKey, input] = firstEntry(inputs);
  const [predKey, output] = firstEntry(outputs);
  const inputSpatialShape = spatialShapeOf(input.spatial_shape);
  const inputNames = labelsFromChannelDef(input.channel_def);
  const namesEveryChannel = inputNames.length === input.num_channels && inputNames.every((l, i) => l.value === i);
  return {
    ...(parsed.data.name === undefined ? {} : { name: parsed.data.name }),
    ...(parsed.data.description === undefined ? {} : { description: parsed.data.description }),
    imageKey,
    inputChannels: input.num_channels,
    ...(inputSpatialShape === undefined ? {} : { inputSpatialShape }),
    predKey,
    outputChannels: output.num_channels,
    labels: labelsFromChannelDef(output.channel_def ?? output.label_def),
    ...(namesEveryChannel && input.num_channels > 1 ? { inputChannelNames: inputNames.map((l) => l.name) } : {}),
  };
}
