import { attributeType, type OnnxNode } from './onnxModelCodec.js';
import type { AxisPlan } from './planSubPixelConv.js';

/** Fresh tensor names and constant initializers for new nodes. */
export interface GraphBuilder {
  fresh(hint: string): string;
  floats(hint: string, dims: readonly number[], data: Float32Array): string;
  ints(hint: string, values: readonly number[]): string;
}

export interface DepthToSpaceParams {
  /** [N, C, P…]: the stacked phase outputs, C = Cout·phases in the order `channels` gives. */
  readonly input: string;
  /** [N, Cout, s·P − excess, …]: the ConvTranspose's output name. */
  readonly output: string;
  readonly cout: number;
  readonly plans: readonly AxisPlan[];
  /** The channel axis's factors, outermost first: 'cout', or an axis index for that axis's phase (e.g. ['cout', 0, 1, 2]). */
  readonly channels: readonly ('cout' | number)[];
}

const INT64_MAX = Number.MAX_SAFE_INTEGER;

/**
 * Interleaves stacked phases into space: Reshape to split the channels into
 * Cout and one stride per axis, Transpose each stride beside its axis, Reshape
 * to merge them (ONNX's DepthToSpace is 2D only), then a Slice where the output
 * is shorter than stride × phase length. The spatial sizes are read with Shape
 * at run time, so models with dynamic spatial axes keep them.
 */
export function depthToSpaceNodes(params: DepthToSpaceParams, builder: GraphBuilder): OnnxNode[] {
  const { input, output, cout, plans, channels } = params;
  const d = plans.length;
  const strides = plans.map((p) => p.stride);
  const name = (hint: string): string => builder.fresh(`${output}_${hint}`);
  const [shape, spatial, split, splitShape, moved, scaled, merged, mergedShape] = [
    'shape',
    'spatial',
    'split',
    'split_shape',
    'moved',
    'scaled',
    'merged',
    'merged_shape',
  ].map(name) as [string, string, string, string, string, string, string, string];
  const cropped = plans.some((p) => p.excess > 0);
  const interleaved = cropped ? merged : output;
  // A 0 in a Reshape target copies the input's dimension: the batch size.
  const splitHead = [0, ...channels.map((f) => (f === 'cout' ? cout : strides[f]!))];
  const perm = [0, 1 + channels.indexOf('cout'), ...strides.flatMap((_, a) => [2 + d + a, 1 + channels.indexOf(a)])];
  const nodes: OnnxNode[] = [
    { op_type: 'Shape', name: shape, input: [input], output: [shape] },
    {
      op_type: 'Slice',
      name: spatial,
      input: [shape, builder.ints('starts', [2]), builder.ints('ends', [2 + d]), builder.ints('axes', [0])],
      output: [spatial],
    },
    {
      op_type: 'Concat',
      name: splitShape,
      input: [builder.ints('head', splitHead), spatial],
      output: [splitShape],
      attribute: [{ name: 'axis', type: attributeType.int, i: 0 }],
    },
    { op_type: 'Reshape', name: split, input: [input, splitShape], output: [split] },
    { op_type: 'Transpose', name: moved, input: [split], output: [moved], attribute: [{ name: 'perm', type: attributeType.ints, ints: perm }] },
    { op_type: 'Mul', name: scaled, input: [spatial, builder.ints('strides', strides)], output: [scaled] },
    {
      op_type: 'Concat',
      name: mergedShape,
      input: [builder.ints('head', [0, cout]), scaled],
      output: [mergedShape],
      attribute: [{ name: 'axis', type: attributeType.int, i: 0 }],
    },
    { op_type: 'Reshape', name: interleaved, input: [moved, mergedShape], output: [interleaved] },
  ];
  if (cropped) {
    const ends = plans.map((p) => (p.excess > 0 ? -p.excess : INT64_MAX));
    const axes = plans.map((_, a) => 2 + a);
    nodes.push({
      op_type: 'Slice',
      name: name('crop'),
      input: [merged, builder.ints('crop_starts', Array<number>(d).fill(0)), builder.ints('crop_ends', ends), builder.ints('crop_axes', axes)],
      output: [output],
    });
  }
  return nodes;
}
