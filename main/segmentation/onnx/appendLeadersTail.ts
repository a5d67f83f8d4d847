import { attributeType, int64ToNumber, type Int64, type OnnxModel, type OnnxNode } from './onnxModelCodec.js';
import { createGraphBuilder } from './createGraphBuilder.js';
import { readDefaultOpset } from './readDefaultOpset.js';

/** What the runner asks of the tail: the model's output channels and how many leading classes each voxel lists. */
export interface LeadersTailRequest {
  readonly channels: number;
  /** The leaders store's slots plus one, so that one class too many within reach shows (see topLeaders). */
  readonly k: number;
}

/** The tail's outputs by name, or why the model was left without one. */
export type LeadersTailResult =
  | {
      /** [N, …spatial, k] float32: each voxel's k largest logits, largest first. */
      readonly values: string;
      /** [N, …spatial, k] uint8 (uint16 above 256 classes): their classes. */
      readonly ids: string;
      /** [N, C] float32: each patch's channel summed over its voxels, not finite where some value is not. */
      readonly sums: string;
    }
  | { readonly reason: string };

interface ValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: Int64; dim_param?: string }[] } } };
}

const UINT8 = 2;
const UINT16 = 4;
const FLOAT = 1;

/**
 * Appends to a many-class model, after its output, what the leaders store needs of each patch instead of the whole
 * output: every voxel's k largest logits and their classes (a Transpose to classes-last and a TopK), and each channel's
 * sum, whose finiteness stands for its values'. onnxruntime-node copies every output it returns into a fresh array, and
 * at 105 classes a 96³ window's output is 371 MB, each page of it new: that copy, not the network, was most of the
 * whole-body bench's time. The output itself stays a graph output, for a batch that has to be run whole.
 * The tail is for a float32 output [N, C, …spatial] with C fixed at the spec's channels, and more than k classes.
 */
export function appendLeadersTail(model: OnnxModel, request: LeadersTailRequest): LeadersTailResult {
  const graph = model.graph;
  const outputs = (graph?.output ?? []) as ValueInfo[];
  if (!graph || outputs.length !== 1) return { reason: `the model has ${outputs.length} outputs` };
  const { channels, k } = request;
  if (!(Number.isInteger(k) && k >= 1 && channels > k)) return { reason: `${channels} classes` };
  if (channels > 65536) return { reason: `${channels} classes, more than 65536` };
  const opset = readDefaultOpset(model);
  // TopK takes `largest` and `sorted` from opset 11.
  if (opset < 11) return { reason: `opset ${opset}` };
  const output = outputs[0]!;
  const tensor = output.type?.tensor_type;
  if (tensor?.elem_type !== FLOAT) return { reason: 'the output is not float32' };
  const dims = (tensor.shape?.dim ?? []).map((dim) => (dim.dim_param ? null : int64ToNumber(dim.dim_value) || null));
  if (dims.length < 3) return { reason: `the output has ${dims.length} axes` };
  if (dims[1] !== channels) return { reason: `the output’s axis 1 is ${dims[1] ?? 'not fixed'}, not ${channels} classes` };
  const logits = output.name ?? '';
  const spatialAxes = dims.slice(2).map((_, a) => a + 2);
  const b = createGraphBuilder(graph, 'leaders');
  const last = b.fresh('classes_last');
  const values = b.fresh('leader_values');
  const indices = b.fresh('leader_indices');
  const ids = b.fresh('leader_ids');
  const sums = b.fresh('channel_sums');
  const idType = channels <= 256 ? UINT8 : UINT16;
  const sumNode: OnnxNode =
    opset >= 13
      ? { op_type: 'ReduceSum', name: sums, input: [logits, b.ints('axes', spatialAxes)], output: [sums], attribute: [int('keepdims', 0)] }
      : {
          op_type: 'ReduceSum',
          name: sums,
          input: [logits],
          output: [sums],
          attribute: [{ name: 'axes', type: attributeType.ints, ints: spatialAxes }, int('keepdims', 0)],
        };
  graph.node = [
    ...(graph.node ?? []),
    {
      op_type: 'Transpose',
      name: last,
      input: [logits],
      output: [last],
      attribute: [{ name: 'perm', type: attributeType.ints, ints: [0, ...spatialAxes, 1] }],
    },
    {
      op_type: 'TopK',
      name: values,
      input: [last, b.ints('k', [k])],
      output: [values, indices],
      attribute: [int('axis', -1), int('largest', 1), int('sorted', 1)],
    },
    { op_type: 'Cast', name: ids, input: [indices], output: [ids], attribute: [int('to', idType)] },
    sumNode,
  ];
  graph.initializer = [...(graph.initializer ?? []), ...b.initializers];
  const typed = (name: string, elemType: number): ValueInfo => ({ name, type: { tensor_type: { elem_type: elemType } } });
  graph.output = [...outputs, typed(values, FLOAT), typed(ids, idType), typed(sums, FLOAT)];
  return { values, ids, sums };
}

function int(name: string, value: number): { name: string; type: number; i: number } {
  return { name, type: attributeType.int, i: value };
}
