import type { InferenceSession } from 'onnxruntime-node';
import { AxialError } from '../../errors/AxialError.js';
import type { ModelSpec } from '../ModelSpec.js';
import { networkSpatialShape } from './networkSpatialShape.js';

export interface ModelShapes {
  readonly inputName: string;
  readonly outputName: string;
  /** The batch size the model was exported with, when its batch axis is fixed. */
  readonly fixedBatch: number | null;
  /**
   * Where the channel axis is: second, as MONAI (PyTorch) exports a model, or last ([N, h, w, C]), as tf2onnx exports
   * a Keras model unless told otherwise; read from the input's declared shape.
   */
  readonly layout: 'channels-first' | 'channels-last';
}

type Dim = number | string;

/**
 * Checks a session's declared input and output against the spec: one float32
 * input of rank 5 [N, C, x, y, z] and its first output [N, C', x, y, z]; for a
 * spec with a slice axis (MONAI's SliceInferer), a 2D network, rank 4, over the
 * two other axes ([N, C, y, z] for slices across x). Fixed dimensions must equal
 * the spec's input channels, output channels and ROI; symbolic ones (dynamic
 * axes) are accepted. A model with several outputs (deep supervision) is run on
 * its first, as MONAI's inferer does. A model whose input declares its channel
 * count last and something else second ([N, 256, 256, 1]: a Keras model through
 * tf2onnx) is read channels last, its output too.
 * @throws AxialError MODEL_SHAPE_MISMATCH naming the dimension that differs, or a 2D model where the spec slides a
 *   3D window (and a 3D model where it runs slices); MODEL_UNSUPPORTED for several inputs, a non-tensor or
 *   non-float32 input.
 */
export function checkModelShapes(
  inputs: readonly InferenceSession.ValueMetadata[],
  outputs: readonly InferenceSession.ValueMetadata[],
  spec: ModelSpec,
): ModelShapes {
  const file = spec.modelPath;
  const input = inputs[0];
  const output = outputs[0];
  if (inputs.length !== 1 || input === undefined) {
    throw new AxialError('MODEL_UNSUPPORTED', `the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); Axial feeds one image`, {
      file,
    });
  }
  if (output === undefined) throw new AxialError('MODEL_UNSUPPORTED', 'the model has no output', { file });
  if (!input.isTensor || input.type !== 'float32') {
    throw new AxialError('MODEL_UNSUPPORTED', `input "${input.name}" is ${input.isTensor ? input.type : 'not a tensor'}; Axial feeds float32`, { file });
  }
  // A ROI of 0 (SimpleInferer: the whole image) accepts any size the model declares.
  const { sliceAxis } = spec.inferer;
  const roi: Dim[] = networkSpatialShape(spec.inferer.roiSize, sliceAxis).map((r) => (r > 0 ? r : 'N'));
  const inShape = input.shape;
  const outShape = output.isTensor ? output.shape : [];
  const layout = inShape.length > 2 && inShape[1] !== spec.input.channels && inShape.at(-1) === spec.input.channels ? 'channels-last' : 'channels-first';
  const arrange = <T>(batch: T, channels: T, spatial: readonly T[]): T[] =>
    layout === 'channels-last' ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
  const expectedIn: Dim[] = arrange<Dim>('N', spec.input.channels, roi);
  const expectedOut: Dim[] = arrange<Dim>('N', spec.output.channels, roi);
  const names = arrange('batch', 'channels', networkSpatialShape(['x', 'y', 'z'], sliceAxis));
  const dimensionality = wrongDimensionality(inShape.length, sliceAxis);
  if (dimensionality !== null) {
    throw new AxialError('MODEL_SHAPE_MISMATCH', `the model declares input ${describe(inShape)}: ${dimensionality}`, { file });
  }
  const mismatches = [...compare(`input "${input.name}"`, inShape, expectedIn, names), ...compare(`output "${output.name}"`, outShape, expectedOut, names)];
  const inBatch = typeof inShape[0] === 'number' ? inShape[0] : null;
  const outBatch = typeof outShape[0] === 'number' ? outShape[0] : null;
  if (inBatch !== null && outBatch !== null && inBatch !== outBatch) {
    mismatches.push(`output batch ${outBatch} differs from input batch ${inBatch}`);
  }
  if (mismatches.length > 0) {
    const declared = `the model declares input ${describe(inShape)} and output ${describe(outShape)}`;
    const wanted = `the spec needs ${describe(expectedIn)} → ${describe(expectedOut)}${layout === 'channels-last' ? ' (channels last)' : ''}`;
    throw new AxialError('MODEL_SHAPE_MISMATCH', `${declared}, but ${wanted}: ${mismatches.join('; ')}. Re-export the model with dynamic axes or this ROI.`, {
      file,
    });
  }
  return { inputName: input.name, outputName: output.name, fixedBatch: inBatch, layout };
}

/**
 * Why a 2D network cannot run where the spec slides a 3D window, or a 3D network where it runs slices; null otherwise
 * (other ranks are named by compare).
 */
function wrongDimensionality(rank: number, sliceAxis: 0 | 1 | 2 | undefined): string | null {
  if (rank === 4 && sliceAxis === undefined) {
    return "a 2D network ([N, C, h, w]), but the bundle's inferer slides a 3D window; a 2D network runs slice by slice through MONAI's SliceInferer";
  }
  if (rank === 5 && sliceAxis !== undefined) {
    return `a 3D network ([N, C, x, y, z]), but the bundle's SliceInferer feeds it 2D slices across axis ${sliceAxis} (its spatial_dim)`;
  }
  return null;
}

/** Differences between a declared shape and the expected one; a shape of unknown rank (empty) passes. */
function compare(what: string, shape: readonly Dim[], expected: readonly Dim[], names: readonly string[]): string[] {
  if (shape.length === 0) return [];
  if (shape.length !== expected.length) return [`${what} has rank ${shape.length}, expected ${expected.length} (${names.join(', ')})`];
  const found: string[] = [];
  shape.forEach((dim, a) => {
    const want = expected[a];
    if (typeof dim === 'number' && typeof want === 'number' && dim !== want) found.push(`${what} ${names[a]} is ${dim}, expected ${want}`);
    if (typeof dim === 'number' && dim < 1) found.push(`${what} ${names[a]} is ${dim}`);
  });
  return found;
}

function describe(shape: readonly Dim[]): string {
  return shape.length === 0 ? '(unknown shape)' : `[${shape.map((d) => (typeof d === 'number' ? d : d || '?')).join(', ')}]`;
}
