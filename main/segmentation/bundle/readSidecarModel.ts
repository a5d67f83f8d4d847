import type { ModelSpec } from '../ModelSpec.js';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AxialError } from '../../errors/AxialError.js';
import type { BundleObject, BundleValue } from './BundleValue.js';
import { formatSchemaIssues } from './formatSchemaIssues.js';
import { inputChannelProblems } from './inputChannelProblems.js';
import { mapPipeline } from './mapPipeline.js';
import { labelsFromChannelDef } from './readBundleMetadata.js';
import { readConfigFile } from './readConfigFile.js';

/** Data keys the sidecar's transforms apply to; the sidecar itself never names keys. */
const imageKey = 'image';
const predKey = 'pred';

const positiveInt = z.number().int().positive();

/** Keys Axial fills in itself; a sidecar that sets them is refused rather than half-obeyed. */
const reservedKeys = ['keys', 'transform', 'orig_keys'];

const transformSchema = z
  .object({ _target_: z.string().min(1, 'names the MONAI transform, e.g. "Spacingd"') })
  .catchall(z.unknown())
  .superRefine((transform, ctx) => {
    for (const key of reservedKeys.filter((k) => Object.hasOwn(transform, k))) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `leave "${key}" out: Axial applies preprocessing to the image and postprocessing to the prediction`,
      });
    }
    findReferences(transform, [], ctx);
  });

/** Sidecars are plain JSON: a string that MONAI would read as a reference, expression or macro is refused. */
function findReferences(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (typeof value === 'string' && /^[@$%]/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `"${value}": references (@), expressions ($) and macros (%) are not read in a sidecar; write the value itself`,
    });
  } else if (Array.isArray(value)) value.forEach((v, i) => findReferences(v, [...path, i], ctx));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) findReferences(v, [...path, k], ctx);
}

/** The `.axial.json` sidecar schema, documented in docs/sidecar-schema.md. */
export const sidecarSchema = z.strictObject({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  input: z
    .strictObject({
      channels: positiveInt,
      spatialShape: z.tuple([positiveInt, positiveInt, positiveInt]).optional(),
      /** One name per input channel of a multi-sequence model, in channel order (as a bundle's input channel_def). */
      channelNames: z.array(z.string().min(1).max(64)).max(64).optional(),
    })
    .refine((i) => i.channelNames === undefined || i.channelNames.length === i.channels, {
      message: 'channelNames must name every input channel, one name each',
      path: ['channelNames'],
    }),
  output: z.strictObject({
    channels: positiveInt,
    labels: z.record(z.string().regex(/^\d+$/, 'label values are whole numbers from 0'), z.string().min(1)),
  }),
  preprocessing: z.array(transformSchema),
  inferer: transformSchema,
  postprocessing: z.array(transformSchema),
});

export type Sidecar = z.infer<typeof sidecarSchema>;

async function readSidecarJson(sidecarPath: string): Promise<unknown> {
  // readConfigFile refuses a hostile depth before the schema's reference check recurses.
  return readConfigFile(sidecarPath, 'the model description (.axial.json sidecar) cannot be read');
}

/** The sidecar's transforms with the keys Axial applies them to, and Invertd pointed at the preprocessing. */
function pipelineSource(sidecar: Sidecar) {
  const preprocessing: BundleObject[] = sidecar.preprocessing.map((t) => ({ ...(t as BundleObject), keys: imageKey }));
  const postprocessing: BundleObject[] = sidecar.postprocessing.map((t) => ({
    ...(t as BundleObject),
    keys: predKey,
    ...(/(^|\.)Invertd$/.test(t._target_) ? { transform: preprocessing as BundleValue, orig_keys: imageKey } : {}),
  }));
  return { preprocessing, inferer: sidecar.inferer as BundleObject, postprocessing, imageKey, predKey, outputChannels: sidecar.output.channels };
}

/**
 * Reads a bare ONNX model's `.axial.json` sidecar (see docs/sidecar-schema.md)
 * into the pipeline Axial runs, through the same transform mapping as bundles.
 * @param modelPath the `.onnx` file.
 * @param sidecarPath the sidecar; by default `<name>.axial.json` beside the model.
 * @throws AxialError MODEL_NOT_FOUND when the model is missing; MODEL_INVALID when the
 *   sidecar is unreadable, too large, not JSON, nested too deep, or breaks the schema (each issue with its path);
 *   INPUT_NOT_A_FILE when the sidecar is a FIFO, device or folder.
 */
export async function readSidecarModel(modelPath: string, sidecarPath = modelPath.replace(/\.onnx$/i, '') + '.axial.json'): Promise<ModelSpec> {
  const model = resolve(modelPath);
  if (!(await stat(model).catch(() => undefined))?.isFile()) throw new AxialError('MODEL_NOT_FOUND', 'no ONNX model here', { file: model });
  const file = resolve(sidecarPath);
  const parsed = sidecarSchema.safeParse(await readSidecarJson(file));
  if (!parsed.success)
    throw new AxialError('MODEL_INVALID', `the sidecar does not follow Axial's schema:\n${formatSchemaIssues(parsed.error.issues)}`, { file });
  const sidecar = parsed.data;
  const pipeline = mapPipeline(pipelineSource(sidecar));
  const labels = labelsFromChannelDef(sidecar.output.labels);
  return {
    name: sidecar.name,
    source: 'sidecar',
    modelPath: model,
    ...(sidecar.description === undefined ? {} : { description: sidecar.description }),
    input: {
      channels: sidecar.input.channels,
      ...(sidecar.input.spatialShape ? { spatialShape: sidecar.input.spatialShape } : {}),
      ...(sidecar.input.channelNames ? { channelNames: sidecar.input.channelNames } : {}),
    },
    output: { channels: sidecar.output.channels, labels },
    preprocessing: pipeline.preprocessing,
    inferer: pipeline.inferer,
    postprocessing: pipeline.postprocessing,
    ...(pipeline.interactive === undefined ? {} : { interactive: pipeline.interactive }),
    unsupported: [...pipeline.unsupported, ...(pipeline.interactive ? inputChannelProblems(sidecar.input.channels, pipeline.interactive) : [])],
    ignored: pipeline.ignored,
    warnings: pipeline.warnings,
  };
}
