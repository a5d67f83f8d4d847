import {
  attributeType,
  int64ToNumber,
  type Int64,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from './onnxModelCodec.js';
import { createGraphBuilder, type GraphBuilder } from './createGraphBuilder.js';
import { dropUnusedInitializers } from './dropUnusedInitializers.js';
import { identitySources } from './identitySources.js';
import { graphReaders, perChannelTail, type GraphReaders } from './perChannelTail.js';
import { planSubPixelConv, unifiedWeights, type AxisPlan } from './planSubPixelConv.js';
import { readDefaultOpset } from './readDefaultOpset.js';
import { MAX_WEIGHT_ELEMENTS, readFloatInitializer } from './readFloatInitializer.js';

/** The one patch shape a depth-major graph is built for: the network's input channels and its three spatial dims. */
export interface DepthMajorShape {
  readonly channels: number;
  readonly spatial: readonly [number, number, number];
  /**
   * The extra memory the form may take (the runner gives an eighth of the machine's), and the windows each run
   * holds (the sliding window's batch; a model that declares a larger fixed batch, that). The form was measured to
   * take 2.5–2.7 times its largest depth stack per window times the windows per run: stacks stay under the budget
   * over 3 × the windows, and under MAX_STACK_BYTES whatever the budget.
   */
  readonly memoryBytes?: number;
  readonly windowsPerBatch?: number;
}

/** 3D convolutions (and ConvTransposes) now run as 2D ones, or why the model was left as it was. */
export type DepthMajorResult = { readonly convs: number } | { readonly reason: string };

/** An activation of the 3D graph held depth-major: [N·D, C, H, W] under `name`. */
interface Held {
  readonly name: string;
  readonly d: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

/** Element-wise operators with x as their only tensor input: the same in any layout. */
const ELEMENTWISE = new Set(['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'Elu', 'Selu', 'Softplus', 'Softsign']);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div']);
/** Kernels, strides, dilations and pads along depth beyond this are left to the 3D operators (real networks use ≤ 7). */
const MAX_DEPTH_GEOMETRY = 16;
/**
 * The largest depth stack per window (one 96³ window of the spleen UNet's: 28 MiB; measured there, the whole run's
 * peak grew by 303 MiB with batches of 4). Past this a model keeps the general form.
 */
const MAX_STACK_BYTES = 256 << 20;
/** Windows are at most 256³ (assertWindowSize); past this the index tables alone would be large. */
const MAX_WINDOW = 1024;

class Unsupported extends Error {}

function refuse(reason: string): never {
  throw new Unsupported(reason);
}

/**
 * Rewrites a 3D network ([N, C, D, H, W] in and out) so that every tensor
 * inside is held depth-major, [N·D, C, H, W], and every 3D convolution runs as
 * a 2D one: the depth taps of a k-deep kernel are gathered into channels
 * ([N·D', k·C, H, W], one Gather over the depth-padded input) and convolved
 * with the kernel's k depth slices side by side. ONNX Runtime's CPU provider
 * runs 2D convolutions in its blocked NCHWc kernels, which it has for 2D only;
 * its 3D convolution expands the input and multiplies. A ConvTranspose becomes
 * the same 2D convolution over its sub-pixel phases (planSubPixelConv.ts),
 * with the depth phase outermost, so the depth interleave is a Reshape and the
 * other two a DepthToSpace; the batch norm and activation that read it alone
 * run on the phases (perChannelTail.ts). The products are the file's own,
 * summed in another order.
 *
 * The shapes are fixed at `shape` (the batch stays free): the rewritten graph
 * runs on that patch size only. Applies only when every operator of the main
 * graph is one this follows (convolutions, batch and instance norm, element-wise
 * activations and arithmetic, channel Concat and Softmax, inference-mode Dropout); anything else leaves
 * the model untouched, with the reason. Edits `model` only on success.
 */
export function rewriteDepthMajor(model: OnnxModel, shape: DepthMajorShape): DepthMajorResult {
  const graph = model.graph;
  if (graph === undefined) return { reason: 'the model has no graph' };
  try {
    return { convs: rewrite(model, graph, shape) };
  } catch (error) {
    if (error instanceof Unsupported) return { reason: error.message };
    throw error;
  }
}

function rewrite(model: OnnxModel, graph: OnnxGraph, shape: DepthMajorShape): number {
  const opset = readDefaultOpset(model);
  if (opset < 11) refuse(`opset ${opset} (11 or later is needed)`);
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const data = (graph.input ?? []).filter((v) => !initializerNames.has(v.name ?? ''));
  if (data.length !== 1) refuse(`${data.length} graph inputs (one image is needed)`);
  const input = data[0]!.name ?? '';
  const declaredBatch = checkInputDims(data[0]!, shape);
  const source = identitySources(graph);
  const readers = graphReaders(graph, source);
  // A network of 1×1×1 convolutions gains nothing: each is one matrix product already, and the moves in and out would cost.
  const kernelVolume = (n: OnnxNode): number =>
    (readers.initializers.get(source(n.input?.[1] ?? ''))?.dims ?? []).slice(2).reduce<number>((p, v) => p * int64ToNumber(v), 1);
  if (!(graph.node ?? []).some((n) => (n.op_type === 'Conv' || n.op_type === 'ConvTranspose') && kernelVolume(n) > 1))
    refuse('no convolution wider than 1×1×1');
  const builder = createGraphBuilder(graph, 'depth');
  const held = new Map<string, Held>();
  const nodes: OnnxNode[] = [];
  const moved = new Set<OnnxNode>();
  const stacks = new Map<string, string>();
  const constants = new Map<string, OnnxTensor>();
  const exited = new Set<string>();
  const emit = (op: string, inputs: readonly string[], attribute: OnnxAttribute[] = [], hint = op): string => {
    const out = builder.fresh(hint);
    nodes.push({ op_type: op, name: out, input: [...inputs], output: [out], attribute });
    return out;
  };
  const shapeOf = (values: readonly number[]): string => builder.ints('shape', values);
  const get = (name: string): Held => held.get(name) ?? refuse(`"${name}" is not an image tensor this rewrite follows`);
  const windows = Math.max(shape.windowsPerBatch ?? 1, declaredBatch ?? 1);
  const maxStackBytes = Math.min(MAX_STACK_BYTES, Math.floor((shape.memoryBytes ?? Infinity) / (3 * windows)));
  const tools: Tools = { builder, readers, constants, emit, shapeOf, stacks, maxStackBytes };

  const [d, h, w] = shape.spatial;
  const c = shape.channels;
  // [N, 1, D, H, W] is already [N·D, 1, H, W] in memory.
  const entry = c === 1 ? input : emit('Transpose', [input], [ints('perm', [0, 2, 1, 3, 4])]);
  held.set(input, { name: emit('Reshape', [entry, shapeOf([-1, c, h, w])]), d, c, h, w });

  let convs = 0;
  for (const node of graph.node ?? []) {
    if (moved.has(node)) continue;
    const op = node.op_type ?? '';
    if ((node.domain ?? '') !== '') refuse(`operator ${node.domain}.${op}`);
    const inputs = node.input ?? [];
    const outputs = node.output ?? [];
    if (op === 'Constant') {
      // Kept as it is; a one-tensor value (torch's scalars) can be read as an operand.
      const value = attributeOf(node, 'value')?.t;
      if (value !== undefined && outputs[0]) constants.set(outputs[0], value);
      nodes.push(node);
      continue;
    }
    if (op === 'Dropout' && !inputs[2] && !outputs.slice(1).some(Boolean) && outputs[0]) {
      // Inference mode (no training_mode input, no mask read): the identity.
      held.set(outputs[0], get(inputs[0] ?? ''));
      continue;
    }
    if (outputs.length !== 1 || !outputs[0]) refuse(`${op} with ${outputs.length} outputs`);
    const y = outputs[0];
    if (op === 'Identity') {
      if (held.has(inputs[0] ?? '')) held.set(y, get(inputs[0]!));
      continue;
    }
    // Arithmetic may take its constant first.
    const x = get((BINARY.has(op) ? inputs.find((n) => held.has(n)) : inputs[0]) ?? '');
    if (op === 'Conv' && isWideningHead(node, x, readers)) {
      // A 1×1×1 head that widens a graph output (105 classes from 32 channels) runs in 3D on its narrower input.
      const grid = emit('Reshape', [x.name, shapeOf([-1, x.d, x.c, x.h, x.w])]);
      const image = emit('Transpose', [grid], [ints('perm', [0, 2, 1, 3, 4])]);
      nodes.push({ ...node, input: [image, ...inputs.slice(1).map(source)] });
      exited.add(y);
    } else if (op === 'Conv') {
      held.set(y, conv(node, x, tools));
      convs++;
    } else if (op === 'ConvTranspose') {
      const result = convTranspose(node, x, tools);
      for (const n of result.moved) moved.add(n);
      held.set(result.output, result.held);
      convs++;
    } else if (op === 'BatchNormalization') {
      if (inputs.length !== 5 || !normInInferenceMode(node)) refuse('a BatchNormalization in training mode');
      held.set(y, { ...x, name: emit(op, [x.name, ...inputs.slice(1).map(source)], node.attribute ?? []) });
    } else if (op === 'InstanceNormalization') {
      held.set(y, { ...x, name: instanceNorm(node, x, tools) });
    } else if (op === 'PRelu') {
      held.set(y, { ...x, name: emit(op, [x.name, slope4d(inputs[1] ?? '', x.c, tools)]) });
    } else if (ELEMENTWISE.has(op) || op === 'Clip') {
      if (op !== 'Clip' && inputs.length !== 1) refuse(`${op} with ${inputs.length} inputs`);
      held.set(y, { ...x, name: emit(op, [x.name, ...inputs.slice(1).map((n) => (n === '' ? '' : source(n)))], node.attribute ?? []) });
    } else if (BINARY.has(op)) {
      if (inputs.length !== 2) refuse(`${op} with ${inputs.length} inputs`);
      held.set(y, {
        ...x,
        name: emit(
          op,
          inputs.map((n) => operand(n, x, held, tools)),
        ),
      });
    } else if (op === 'Concat') {
      const parts = inputs.map(get);
      if (!channelAxis(node, -1) || parts.some((p) => p.d !== x.d || p.h !== x.h || p.w !== x.w)) refuse('a Concat other than of channels');
      held.set(y, {
        ...x,
        c: parts.reduce((sum, p) => sum + p.c, 0),
        name: emit(
          op,
          parts.map((p) => p.name),
          [int('axis', 1)],
        ),
      });
    } else if (op === 'Softmax') {
      // Before opset 13 Softmax flattens every axis from `axis` on: not per voxel.
      if (opset < 13 || !channelAxis(node, -1)) refuse('a Softmax other than over channels');
      held.set(y, { ...x, name: emit(op, [x.name], [int('axis', 1)]) });
    } else {
      // torch exports a GroupNorm as a Reshape to [N, groups, -1], an InstanceNormalization, and back.
      refuse(op === 'Reshape' && readers.reader.get(y)?.op_type === 'InstanceNormalization' ? 'group norm' : `operator ${op}`);
    }
  }
  if (convs === 0) refuse('no convolution');
  for (const output of graph.output ?? []) {
    if (exited.has(output.name ?? '')) continue;
    const o = get(output.name ?? '');
    const grid = emit('Reshape', [o.name, shapeOf([-1, o.d, o.c, o.h, o.w])]);
    nodes.push({ op_type: 'Transpose', name: builder.fresh('output'), input: [grid], output: [output.name!], attribute: [ints('perm', [0, 2, 1, 3, 4])] });
  }
  pinInputDims(data[0]!, shape);
  graph.node = nodes;
  graph.initializer = [...(graph.initializer ?? []), ...builder.initializers];
  // The 3D shapes recorded for the old names describe tensors that no longer exist.
  graph.value_info = [];
  dropUnusedInitializers(graph, initializerNames);
  return convs;
}

interface Tools {
  readonly builder: GraphBuilder;
  readonly readers: GraphReaders;
  /** Constant nodes' values, by output. */
  readonly constants: ReadonlyMap<string, OnnxTensor>;
  emit(op: string, inputs: readonly string[], attribute?: OnnxAttribute[], hint?: string): string;
  shapeOf(values: readonly number[]): string;
  /** Gathered depth stacks by input and geometry: sibling convolutions share one. */
  readonly stacks: Map<string, string>;
  readonly maxStackBytes: number;
}

interface ValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: Int64; dim_param?: string }[] } } };
}

/** The image input must be float [N, C, D, H, W] with C the spec's and each spatial dim free or the patch's; its fixed batch, if any. */
function checkInputDims(value: ValueInfo, shape: DepthMajorShape): number | null {
  const tensor = value.type?.tensor_type;
  if (tensor?.elem_type !== 1) refuse('the input is not float32');
  const dims = (tensor.shape?.dim ?? []).map((dim) => (dim.dim_param ? null : int64ToNumber(dim.dim_value) || null));
  if (dims.length !== 5) refuse(`the input has ${dims.length} axes`);
  const expected = [null, shape.channels, ...shape.spatial];
  for (let a = 1; a < 5; a++) {
    if (dims[a] !== null && dims[a] !== expected[a]) refuse(`input axis ${a} is ${dims[a]}, not ${expected[a]}`);
  }
  if (dims[1] === null) refuse('the input’s channel axis is not fixed');
  if (shape.spatial.some((v) => !(Number.isInteger(v) && v >= 1 && v <= MAX_WINDOW))) refuse(`a window of ${shape.spatial.join('×')}`);
  return dims[0] ?? null;
}

/** The built graph runs on its window only: its input says so, and onnxruntime refuses another size at the feed. */
function pinInputDims(value: ValueInfo, shape: DepthMajorShape): void {
  const dims = value.type!.tensor_type!.shape!.dim!;
  shape.spatial.forEach((v, a) => (dims[a + 2] = { dim_value: v }));
}

function ints(name: string, values: readonly number[]): OnnxAttribute {
  return { name, type: attributeType.ints, ints: [...values] };
}

function int(name: string, value: number): OnnxAttribute {
  return { name, type: attributeType.int, i: value };
}

function attributeOf(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function intsOf(node: OnnxNode, name: string, fallback: readonly number[]): number[] {
  const a = attributeOf(node, name);
  return a === undefined ? [...fallback] : (a.ints ?? []).map(int64ToNumber);
}

/** A plain 1×1×1 Conv with more outputs than inputs whose output only leaves the graph. */
function isWideningHead(node: OnnxNode, x: Held, readers: GraphReaders): boolean {
  const y = node.output![0]!;
  const weight = readers.initializers.get(readers.source(node.input?.[1] ?? ''));
  const dims = (weight?.dims ?? []).map(int64ToNumber);
  const plain = ['strides', 'pads', 'dilations'].every((name) => intsOf(node, name, []).every((v) => v === (name === 'pads' ? 0 : 1)));
  const isOutput = (readers.reads.get(y) ?? 0) === 1 && !readers.reader.has(y);
  return (
    plain && isOutput && dims.length === 5 && dims.slice(2).every((v) => v === 1) && dims[0]! > x.c && int64ToNumber(attributeOf(node, 'group')?.i ?? 1) === 1
  );
}

/** Whether `axis` (default `fallback`) names the channels of a 5D tensor. */
function channelAxis(node: OnnxNode, fallback: number): boolean {
  const a = attributeOf(node, 'axis');
  const axis = a === undefined ? fallback : int64ToNumber(a.i);
  return axis === 1 || axis === -4;
}

function normInInferenceMode(node: OnnxNode): boolean {
  return (node.attribute ?? []).every(
    (a) =>
      a.name === 'epsilon' ||
      a.name === 'momentum' ||
      ((a.name === 'training_mode' || a.name === 'spatial') && int64ToNumber(a.i) === (a.name === 'spatial' ? 1 : 0)),
  );
}

/** Refuses attributes other than a convolution's geometry, an auto_pad, groups and dilated ConvTransposes. */
function checkGeometry(node: OnnxNode, transpose: boolean): void {
  const known = new Set(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides', ...(transpose ? ['output_padding'] : [])]);
  const unknown = (node.attribute ?? []).find((a) => !known.has(a.name ?? ''));
  if (unknown !== undefined) refuse(`${node.op_type} attribute ${unknown.name}`);
  const autoPad = attributeOf(node, 'auto_pad');
  if (autoPad !== undefined && !['', 'NOTSET'].includes(Buffer.from(autoPad.s ?? []).toString())) refuse(`${node.op_type} with auto_pad`);
  if (int64ToNumber(attributeOf(node, 'group')?.i ?? 1) !== 1) refuse(`a grouped ${node.op_type}`);
  if (transpose && intsOf(node, 'dilations', []).some((v) => v !== 1)) refuse('a dilated ConvTranspose');
}

/** A float32 weight of 5 axes from an initializer no caller can override. */
function weightOf(name: string, tools: Tools): { dims: number[]; data: Float32Array } {
  const { readers } = tools;
  const source = readers.source(name);
  if (readers.graphInputs.has(name) || readers.graphInputs.has(source)) refuse(`weight "${name}" is a graph input`);
  const weight = readFloatInitializer(readers.initializers.get(source), `weight "${name}"`);
  if (typeof weight === 'string') refuse(weight);
  if (weight.dims.length !== 5) refuse(`weight "${name}" has ${weight.dims.length} axes`);
  return weight;
}

function biasOf(name: string | undefined, count: number, tools: Tools): Float32Array | null {
  if (!name) return null;
  if (tools.readers.graphInputs.has(name) || tools.readers.graphInputs.has(tools.readers.source(name))) refuse(`bias "${name}" is a graph input`);
  const bias = readFloatInitializer(tools.readers.initializers.get(tools.readers.source(name)), `bias "${name}"`);
  if (typeof bias === 'string') refuse(bias);
  if (bias.dims.length !== 1 || bias.dims[0] !== count) refuse(`bias "${name}" does not match its output channels`);
  return bias.data;
}

/**
 * [N·D', k·C, H, W]: for each output depth o, the input depths o·s + t·dilation − pad (t = 0 … k−1, zero outside)
 * side by side as channels. The input itself when the kernel is one deep and nothing moves.
 */
function depthStack(x: Held, k: number, s: number, dilation: number, padBegin: number, padEnd: number, depth: number, tools: Tools, hint: string): string {
  if (k === 1 && s === 1 && padBegin === 0 && padEnd === 0) return x.name;
  const key = JSON.stringify([x.name, k, s, dilation, padBegin, padEnd]);
  const known = tools.stacks.get(key);
  if (known !== undefined) return known;
  // The stack and onnxruntime's blocked copy of it are each k times the input: past this the memory is not worth the speed.
  const bytes = depth * k * x.c * x.h * x.w * 4;
  if (bytes > tools.maxStackBytes) refuse(`a depth stack of ${size(bytes, Math.ceil)} per window (at most ${size(tools.maxStackBytes, Math.floor)} here)`);
  const { emit, shapeOf, builder } = tools;
  let rows = emit('Reshape', [x.name, shapeOf([-1, x.d, x.c * x.h * x.w])], [], hint);
  if (padBegin > 0 || padEnd > 0) rows = emit('Pad', [rows, builder.ints('pads', [0, padBegin, 0, 0, padEnd, 0])], [], hint);
  const indices: number[] = [];
  for (let o = 0; o < depth; o++) for (let t = 0; t < k; t++) indices.push(o * s + t * dilation);
  const gathered = emit('Gather', [rows, builder.ints('depths', indices, [depth, k])], [int('axis', 1)], hint);
  const stacked = emit('Reshape', [gathered, shapeOf([-1, k * x.c, x.h, x.w])], [], hint);
  tools.stacks.set(key, stacked);
  return stacked;
}

/** A 3D Conv as a 2D one over the depth stack: weights [O, C, k, kh, kw] become [O, k·C, kh, kw]. */
function conv(node: OnnxNode, x: Held, tools: Tools): Held {
  checkGeometry(node, false);
  const inputs = node.input ?? [];
  const weight = weightOf(inputs[1] ?? '', tools);
  const [o, ci, kd, kh, kw] = weight.dims as [number, number, number, number, number];
  if (ci !== x.c) refuse(`a Conv of ${ci} input channels reads ${x.c}`);
  const kernel = [kd, kh, kw];
  if (intsOf(node, 'kernel_shape', kernel).join() !== kernel.join()) refuse('kernel_shape differs from the weight');
  const strides = intsOf(node, 'strides', [1, 1, 1]);
  const dilations = intsOf(node, 'dilations', [1, 1, 1]);
  const pads = intsOf(node, 'pads', [0, 0, 0, 0, 0, 0]);
  if (strides.length !== 3 || dilations.length !== 3 || pads.length !== 6) refuse('Conv attribute lengths do not match its kernel');
  if ([kd, strides[0]!, dilations[0]!, pads[0]!, pads[3]!].some((v) => !(v >= 0 && v <= MAX_DEPTH_GEOMETRY))) refuse('a Conv’s depth geometry past 16');
  if ([...strides, ...dilations].some((v) => v < 1) || pads.some((v) => v < 0)) refuse('a Conv stride, dilation or pad out of range');
  const out = [x.d, x.h, x.w].map((n, a) => Math.floor((n + pads[a]! + pads[a + 3]! - dilations[a]! * (kernel[a]! - 1) - 1) / strides[a]!) + 1);
  if (out.some((n) => n < 1)) refuse('a Conv whose output would be empty');
  const bias = biasOf(inputs[2], o, tools);
  const stacked = depthStack(x, kd, strides[0]!, dilations[0]!, pads[0]!, pads[3]!, out[0]!, tools, 'stack');
  const plane = kh * kw;
  const weights = new Float32Array(weight.data.length);
  for (let f = 0; f < o; f++)
    for (let c = 0; c < ci; c++)
      for (let t = 0; t < kd; t++)
        weights.set(weight.data.subarray(((f * ci + c) * kd + t) * plane, ((f * ci + c) * kd + t + 1) * plane), ((f * kd + t) * ci + c) * plane);
  const { builder, emit } = tools;
  const y = node.output![0]!;
  const conv2d = emit(
    'Conv',
    [stacked, builder.floats(`${y}_weight`, [o, kd * ci, kh, kw], weights), ...(bias === null ? [] : [builder.floats(`${y}_bias`, [o], bias)])],
    [
      ints('kernel_shape', [kh, kw]),
      ints('strides', strides.slice(1)),
      ints('dilations', dilations.slice(1)),
      ints('pads', [pads[1]!, pads[2]!, pads[4]!, pads[5]!]),
    ],
  );
  return { name: conv2d, d: out[0]!, c: o, h: out[1]!, w: out[2]! };
}

/**
 * A ConvTranspose as one 2D convolution over a depth stack whose output channels are its phases, depth phase
 * outermost ([ρd, ρh, ρw, Cout]); its batch norm and activation on those phases; then a Reshape interleaves depth
 * and a DepthToSpace the plane (a Transpose where the plane's strides differ).
 */
function convTranspose(node: OnnxNode, x: Held, tools: Tools): { held: Held; output: string; moved: OnnxNode[] } {
  checkGeometry(node, true);
  if (attributeOf(node, 'output_shape') !== undefined) refuse('a ConvTranspose with output_shape');
  const inputs = node.input ?? [];
  const weight = weightOf(inputs[1] ?? '', tools);
  const [cin, cout] = weight.dims as [number, number];
  if (cin !== x.c) refuse(`a ConvTranspose of ${cin} input channels reads ${x.c}`);
  const kernel = weight.dims.slice(2);
  if (intsOf(node, 'kernel_shape', kernel).join() !== kernel.join()) refuse('kernel_shape differs from the weight');
  const strides = intsOf(node, 'strides', [1, 1, 1]);
  if (strides.some((s) => !(s >= 1 && s <= MAX_DEPTH_GEOMETRY))) refuse('a ConvTranspose stride past 16');
  const plans = planSubPixelConv({ kernel, strides, pads: intsOf(node, 'pads', [0, 0, 0, 0, 0, 0]), outputPadding: intsOf(node, 'output_padding', [0, 0, 0]) });
  if (typeof plans === 'string') refuse(`a ConvTranspose: ${plans}`);
  if (plans.some((p) => p.excess !== 0)) refuse('a ConvTranspose whose output is cropped');
  const [pd, ph, pw] = plans as [AxisPlan, AxisPlan, AxisPlan];
  if (pd.length > MAX_DEPTH_GEOMETRY || pd.padBegin > MAX_DEPTH_GEOMETRY || pd.padEnd > MAX_DEPTH_GEOMETRY) refuse('a ConvTranspose’s depth geometry past 16');
  const phases = pd.stride * ph.stride * pw.stride;
  const plane = ph.length * pw.length;
  if (cout * phases * (cin * pd.length * plane + 5) > MAX_WEIGHT_ELEMENTS) refuse('a ConvTranspose too large to rewrite');
  const bias = biasOf(inputs[2], cout, tools);
  // unifiedWeights: [Cout·S, Cin, Ld, Lh, Lw], channel co·S + φ. Here: [S·Cout, Ld·Cin, Lh, Lw], channel φ·Cout + co.
  const unified = unifiedWeights(weight.data, { cin, cout }, plans);
  const weights = new Float32Array(unified.length);
  const ld = pd.length;
  for (let co = 0; co < cout; co++)
    for (let phi = 0; phi < phases; phi++)
      for (let ci = 0; ci < cin; ci++)
        for (let t = 0; t < ld; t++) {
          const from = (((co * phases + phi) * cin + ci) * ld + t) * plane;
          weights.set(unified.subarray(from, from + plane), (((phi * cout + co) * ld + t) * cin + ci) * plane);
        }
  const perPhase = (values: Float32Array): Float32Array => Float32Array.from({ length: values.length * phases }, (_, c) => values[c % values.length]!);
  const depth = x.d + pd.growth;
  // Its nodes are named subpixel_… (a profile sums them as the ConvTranspose's successors).
  const hint = 'subpixel';
  const stacked = depthStack(x, ld, 1, 1, pd.padBegin, pd.padEnd, depth, tools, `${hint}_stack`);
  const { builder, emit, shapeOf } = tools;
  const y = node.output![0]!;
  let at = emit(
    'Conv',
    [
      stacked,
      builder.floats(`${y}_weight`, [phases * cout, ld * cin, ph.length, pw.length], weights),
      ...(bias === null ? [] : [builder.floats(`${y}_bias`, [phases * cout], perPhase(bias))]),
    ],
    [ints('kernel_shape', [ph.length, pw.length]), ints('pads', [ph.padBegin, pw.padBegin, ph.padEnd, pw.padEnd])],
    `${hint}_phases`,
  );
  const tail = perChannelTail(y, cout, 4, tools.readers);
  if (tail?.norm) {
    const params = tail.norm.params.map((p, n) => builder.floats(`${y}_${['scale', 'bias', 'mean', 'var'][n]}`, [p.length * phases], perPhase(p)));
    at = emit('BatchNormalization', [at, ...params], tail.norm.node.attribute ?? [], `${hint}_norm`);
  }
  if (tail?.activation)
    at = emit(tail.activation.node.op_type!, [at, ...tail.activation.parameters], tail.activation.node.attribute ?? [], `${hint}_activation`);
  const [hq, wq] = [x.h + ph.growth, x.w + pw.growth];
  if (ph.stride === pw.stride) {
    at = emit('Reshape', [at, shapeOf([-1, ph.stride * pw.stride * cout, hq, wq])], [], `${hint}_interleave`);
    if (ph.stride > 1)
      at = emit('DepthToSpace', [at], [int('blocksize', ph.stride), { name: 'mode', type: STRING_ATTRIBUTE, s: Buffer.from('DCR') }], `${hint}_interleave`);
  } else {
    // Unequal strides across the plane (an anisotropic UNet's (2, 2, 1)): DepthToSpace's own reordering, spelt out.
    at = emit('Reshape', [at, shapeOf([-1, ph.stride, pw.stride, cout, hq, wq])], [], `${hint}_interleave`);
    at = emit('Transpose', [at], [ints('perm', [0, 3, 4, 1, 5, 2])], `${hint}_interleave`);
    at = emit('Reshape', [at, shapeOf([-1, cout, hq * ph.stride, wq * pw.stride])], [], `${hint}_interleave`);
  }
  const moved = [tail?.norm?.node, tail?.activation?.node].filter((n): n is OnnxNode => n !== undefined);
  return { held: { name: at, d: depth * pd.stride, c: cout, h: hq * ph.stride, w: wq * pw.stride }, output: tail?.output ?? y, moved };
}

/**
 * An InstanceNormalization over [N·D, C, H, W]: its statistics are over depth and the plane, so the tensor is turned
 * to [N, C, D, H·W] for onnxruntime's own kernel (which takes any rank from 3) and back.
 */
function instanceNorm(node: OnnxNode, x: Held, tools: Tools): string {
  const inputs = node.input ?? [];
  const unknown = (node.attribute ?? []).find((a) => a.name !== 'epsilon');
  if (inputs.length !== 3 || unknown !== undefined) refuse('an InstanceNormalization other than with a scale, a bias and an epsilon');
  const { emit, shapeOf, readers } = tools;
  const grid = emit('Reshape', [x.name, shapeOf([-1, x.d, x.c, x.h * x.w])], [], 'norm');
  const image = emit('Transpose', [grid], [ints('perm', [0, 2, 1, 3])], 'norm');
  const normed = emit('InstanceNormalization', [image, ...inputs.slice(1).map(readers.source)], node.attribute ?? [], 'norm');
  const back = emit('Transpose', [normed], [ints('perm', [0, 2, 1, 3])], 'norm');
  return emit('Reshape', [back, shapeOf([-1, x.c, x.h, x.w])], [], 'norm');
}

/** Bytes in KiB or MiB, rounded as `round` says (a stack up, its bound down, so that the one never reads as the other). */
function size(bytes: number, round: (value: number) => number): string {
  return bytes < 2 ** 20 ? `${round(bytes / 1024)} KiB` : `${round(bytes / 2 ** 20)} MiB`;
}

/** onnx.AttributeProto.AttributeType STRING. */
const STRING_ATTRIBUTE = 3;

/** A PRelu slope for [N·D, C, H, W]: one value, or one per channel ([C, 1, 1]). */
function slope4d(name: string, channels: number, tools: Tools): string {
  const { readers, builder } = tools;
  const source = readers.source(name);
  if (readers.graphInputs.has(name) || readers.graphInputs.has(source)) refuse('a PRelu slope that is a graph input');
  const slope = readFloatInitializer(readers.initializers.get(source), `slope "${name}"`);
  if (typeof slope === 'string') refuse(slope);
  if (slope.dims.length > 5) refuse(`a PRelu slope of ${slope.dims.length} axes`);
  if (slope.data.length === 1) return builder.floats('slope', [1], slope.data);
  const perChannel = slope.dims.length >= 4 && slope.dims.slice(-4).join() === [channels, 1, 1, 1].join() && slope.dims.slice(0, -4).every((v) => v === 1);
  if (!perChannel) refuse(`a PRelu slope of dims [${slope.dims.join(', ')}]`);
  return builder.floats('slope', [channels, 1, 1], slope.data);
}

/** One operand of Add, Sub, Mul or Div: an image tensor of the same shape as `x`, or a one-value float constant. */
function operand(name: string, x: Held, held: ReadonlyMap<string, Held>, tools: Tools): string {
  const image = held.get(name);
  if (image !== undefined) {
    if (image.d !== x.d || image.c !== x.c || image.h !== x.h || image.w !== x.w) refuse('arithmetic between tensors of different shapes');
    return image.name;
  }
  const source = tools.readers.source(name);
  if (tools.readers.graphInputs.has(name) || tools.readers.graphInputs.has(source)) refuse(`operand "${name}" is a graph input`);
  const value = readFloatInitializer(tools.readers.initializers.get(source) ?? tools.constants.get(source), `operand "${name}"`);
  // Of rank 5 at most, or it would broadcast the 3D graph's output to more axes.
  if (typeof value === 'string' || value.data.length !== 1 || value.dims.length > 5) refuse(`arithmetic with "${name}", not one float value`);
  return tools.builder.floats('scalar', [1], value.data);
}
