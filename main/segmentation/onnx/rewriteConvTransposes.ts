import { attributeType, int64ToNumber, type OnnxAttribute, type OnnxModel, type OnnxNode } from './onnxModelCodec.js';
import { phaseConvs, planSubPixelConv, unifiedWeights, type AxisPlan } from './planSubPixelConv.js';
import { createGraphBuilder, type GraphBuilder } from './createGraphBuilder.js';
import { depthToSpaceNodes } from './depthToSpaceNodes.js';
import { dropUnusedInitializers } from './dropUnusedInitializers.js';
import { readDefaultOpset } from './readDefaultOpset.js';
import { identitySources } from './identitySources.js';
import { graphReaders, perChannelTail, type GraphReaders, type PerChannelTail } from './perChannelTail.js';
import { MAX_WEIGHT_ELEMENTS, readFloatInitializer } from './readFloatInitializer.js';

/**
 * How the phases become convolutions: `unified`, one Conv with Cout·sᵈ outputs
 * and zero taps where a phase has none; `phases`, one Conv per phase with
 * exactly its taps, concatenated.
 */
export type SubPixelMode = 'unified' | 'phases';

export interface RewriteReport {
  /** ConvTranspose nodes replaced, by name (or output). */
  readonly rewritten: readonly string[];
  /** ConvTranspose nodes left alone, and why. */
  readonly skipped: readonly { readonly node: string; readonly reason: string }[];
}

/**
 * Replaces every ConvTranspose of the main graph that is 1D–3D, group 1,
 * dilation 1, explicit pads (no auto_pad, no output_shape), with float32
 * weights (and bias) stored in initializers, by the exactly equivalent
 * Conv + depth-to-space (planSubPixelConv.ts). A BatchNormalization and an
 * activation that only it reads run on the stacked phases, before the
 * depth-to-space (perChannelTail.ts). Edits `model` in place.
 * Nodes that do not qualify are listed with the reason; nothing is thrown for them.
 */
export function rewriteConvTransposes(model: OnnxModel, mode: SubPixelMode = 'unified'): RewriteReport {
  const graph = model.graph;
  const rewritten: string[] = [];
  const skipped: { node: string; reason: string }[] = [];
  if (graph === undefined) return { rewritten, skipped };
  const targets = (graph.node ?? []).filter((n) => n.op_type === 'ConvTranspose' && (n.domain ?? '') === '');
  if (targets.length === 0) return { rewritten, skipped };
  const opset = readDefaultOpset(model);
  if (opset < 11) {
    return { rewritten, skipped: targets.map((n) => ({ node: label(n), reason: `opset ${opset} (the rewrite needs 11 or later)` })) };
  }
  const builder = createGraphBuilder(graph, 'subpixel');
  const readers = graphReaders(graph, identitySources(graph));
  const replaced = new Map<OnnxNode, OnnxNode[]>();
  const moved = new Set<OnnxNode>();
  for (const node of targets) {
    const result = replacement(node, readers, builder, mode);
    if (typeof result === 'string') skipped.push({ node: label(node), reason: result });
    else {
      replaced.set(node, result.nodes);
      for (const n of [result.tail?.norm?.node, result.tail?.activation?.node]) if (n) moved.add(n);
      rewritten.push(label(node));
    }
  }
  if (replaced.size === 0) return { rewritten, skipped };
  // The new nodes take the ConvTranspose's place; the tail's nodes only read what they replace, so the order stays topological.
  graph.node = (graph.node ?? []).flatMap((n) => replaced.get(n) ?? (moved.has(n) ? [] : [n]));
  graph.initializer = [...(graph.initializer ?? []), ...builder.initializers];
  dropUnusedInitializers(graph, new Set([...replaced.keys(), ...moved].flatMap((n) => (n.input ?? []).slice(1))));
  return { rewritten, skipped };
}

function label(node: OnnxNode): string {
  return node.name || node.output?.[0] || 'ConvTranspose';
}

function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function ints(node: OnnxNode, name: string, fallback: number[]): number[] {
  const a = attribute(node, name);
  return a === undefined ? fallback : (a.ints ?? []).map(int64ToNumber);
}

/** The nodes that replace one ConvTranspose and the tail moved before its interleave, or why it stays. */
function replacement(
  node: OnnxNode,
  readers: GraphReaders,
  builder: GraphBuilder,
  mode: SubPixelMode,
): { nodes: OnnxNode[]; tail: PerChannelTail | null } | string {
  const { initializers, graphInputs } = readers;
  const [x, w, b] = node.input ?? [];
  const y = node.output?.[0];
  if (!x || !w || y === undefined || y === '' || (node.output ?? []).length !== 1) return 'unexpected inputs or outputs';
  if (graphInputs.has(w) || (b && graphInputs.has(b))) return 'its weights are graph inputs (a caller may override them)';
  for (const name of ['auto_pad', 'output_shape']) {
    const a = attribute(node, name);
    if (a !== undefined && !(name === 'auto_pad' && ['', 'NOTSET'].includes(Buffer.from(a.s ?? []).toString()))) return `${name} is set`;
  }
  const known = new Set(['auto_pad', 'dilations', 'group', 'kernel_shape', 'output_padding', 'pads', 'strides']);
  const unknown = (node.attribute ?? []).find((a) => !known.has(a.name ?? ''));
  if (unknown !== undefined) return `attribute ${unknown.name}`;
  if (int64ToNumber(attribute(node, 'group')?.i ?? 1) !== 1) return 'group ≠ 1';
  if (ints(node, 'dilations', []).some((v) => v !== 1)) return 'dilation ≠ 1';
  const weight = readFloatInitializer(initializers.get(w), `weight "${w}"`);
  if (typeof weight === 'string') return weight;
  const d = weight.dims.length - 2;
  if (d < 1 || d > 3) return `${d}D`;
  const [cin, cout] = weight.dims as [number, number];
  const kernel = weight.dims.slice(2);
  const bias = b ? readFloatInitializer(initializers.get(b), `bias "${b}"`) : null;
  if (typeof bias === 'string') return bias;
  if (bias !== null && (bias.dims.length !== 1 || bias.dims[0] !== cout)) return 'its bias does not match its output channels';
  const kernelShape = ints(node, 'kernel_shape', kernel);
  if (kernelShape.join() !== kernel.join()) return 'kernel_shape differs from the weight';
  const strides = ints(node, 'strides', Array(d).fill(1));
  const pads = ints(node, 'pads', Array(2 * d).fill(0));
  const outputPadding = ints(node, 'output_padding', Array(d).fill(0));
  if (strides.length !== d || pads.length !== 2 * d || outputPadding.length !== d) return 'attribute lengths do not match the kernel';
  // Up-sampling strides are small (2, sometimes 4): planning walks every phase, so a hostile stride of 10^8
  // would exhaust memory before the size check below.
  if (strides.some((s) => !(s >= 1 && s <= 16))) return 'a stride past 16';
  const plans = planSubPixelConv({ kernel, strides, pads, outputPadding });
  if (typeof plans === 'string') return plans;
  const phases = plans.reduce((p, plan) => p * plan.stride, 1);
  const grownKernel = plans.reduce((p, plan) => p * plan.length, 1);
  // The unified weights, and a bias and four batch-norm parameters per stacked channel.
  if (cout * phases * (cin * grownKernel + 5) > MAX_WEIGHT_ELEMENTS) return 'the convolution would be too large';
  const biasData = bias?.data ?? null;
  const tail = perChannelTail(y, cout, d + 2, readers);
  const convs = mode === 'phases' ? phaseConvs(weight.data, { cin, cout }, plans) : null;
  const { nodes, stacked, channels } =
    convs === null ? unifiedNodes(x, y, cout, cin, weight.data, biasData, plans, builder) : phaseNodes(x, y, cout, convs, biasData, builder);
  // The stacked channel c holds output channel c / phases (Cout outermost) or c mod Cout (phases outermost).
  const perStacked = (values: Float32Array): Float32Array =>
    channels[0] === 'cout' ? repeatEach(values, phases) : Float32Array.from({ length: values.length * phases }, (_, c) => values[c % values.length]!);
  const tailed = tail === null ? { nodes: [], output: stacked } : tailNodes(stacked, tail, perStacked, builder);
  const interleave = depthToSpaceNodes({ input: tailed.output, output: tail?.output ?? y, cout, plans, channels }, builder);
  return { nodes: [...nodes, ...tailed.nodes, ...interleave], tail };
}

/** The tail's nodes again, on the stacked phases: the normalization's parameters once per stacked channel. */
function tailNodes(
  input: string,
  tail: PerChannelTail,
  perStacked: (values: Float32Array) => Float32Array,
  builder: GraphBuilder,
): { nodes: OnnxNode[]; output: string } {
  const nodes: OnnxNode[] = [];
  let at = input;
  if (tail.norm !== null) {
    const out = builder.fresh(`${tail.norm.node.output![0]}_phases`);
    const params = tail.norm.params.map((p, n) => {
      const values = perStacked(p);
      return builder.floats(`${out}_${['scale', 'bias', 'mean', 'var'][n]}`, [values.length], values);
    });
    nodes.push({ ...tail.norm.node, name: out, input: [at, ...params], output: [out] });
    at = out;
  }
  if (tail.activation !== null) {
    const { node, parameters } = tail.activation;
    const out = builder.fresh(`${node.output![0]}_phases`);
    nodes.push({ ...node, name: out, input: [at, ...parameters], output: [out] });
    at = out;
  }
  return { nodes, output: at };
}

function convNode(
  x: string,
  weights: string,
  bias: string | null,
  out: string,
  kernel: readonly number[],
  padBegin: readonly number[],
  padEnd: readonly number[],
): OnnxNode {
  const intsAttribute = (name: string, values: readonly number[]): OnnxAttribute => ({ name, type: attributeType.ints, ints: [...values] });
  return {
    op_type: 'Conv',
    name: out,
    input: bias === null ? [x, weights] : [x, weights, bias],
    output: [out],
    attribute: [
      intsAttribute('kernel_shape', kernel),
      intsAttribute('pads', [...padBegin, ...padEnd]),
      intsAttribute(
        'strides',
        kernel.map(() => 1),
      ),
    ],
  };
}

/** The convolutions that compute every phase, stacked as channels in the order `channels` gives (depthToSpaceNodes.ts). */
interface StackedPhases {
  readonly nodes: OnnxNode[];
  readonly stacked: string;
  readonly channels: readonly ('cout' | number)[];
}

function unifiedNodes(
  x: string,
  y: string,
  cout: number,
  cin: number,
  weights: Float32Array,
  bias: Float32Array | null,
  plans: readonly AxisPlan[],
  builder: GraphBuilder,
): StackedPhases {
  const phases = plans.reduce((p, plan) => p * plan.stride, 1);
  const lengths = plans.map((p) => p.length);
  const w = builder.floats(`${y}_weight`, [cout * phases, cin, ...lengths], unifiedWeights(weights, { cin, cout }, plans));
  const b = bias === null ? null : builder.floats(`${y}_bias`, [cout * phases], repeatEach(bias, phases));
  const conv = builder.fresh(`${y}_phases`);
  const nodes = [
    convNode(
      x,
      w,
      b,
      conv,
      lengths,
      plans.map((p) => p.padBegin),
      plans.map((p) => p.padEnd),
    ),
  ];
  return { nodes, stacked: conv, channels: ['cout', ...plans.keys()] };
}

function phaseNodes(
  x: string,
  y: string,
  cout: number,
  convs: readonly { weights: Float32Array; kernel: readonly number[]; padBegin: readonly number[]; padEnd: readonly number[] }[],
  bias: Float32Array | null,
  builder: GraphBuilder,
): StackedPhases {
  const b = bias === null ? null : builder.floats(`${y}_bias`, [cout], bias);
  const outputs: string[] = [];
  const nodes: OnnxNode[] = convs.map((conv) => {
    const cin = conv.weights.length / cout / conv.kernel.reduce((p, k) => p * k, 1);
    const w = builder.floats(`${y}_weight`, [cout, cin, ...conv.kernel], conv.weights);
    const out = builder.fresh(`${y}_phase`);
    outputs.push(out);
    return convNode(x, w, b, out, conv.kernel, conv.padBegin, conv.padEnd);
  });
  const stacked = builder.fresh(`${y}_phases`);
  nodes.push({ op_type: 'Concat', name: stacked, input: outputs, output: [stacked], attribute: [{ name: 'axis', type: attributeType.int, i: 1 }] });
  return { nodes, stacked, channels: [...convs[0]!.kernel.keys(), 'cout'] };
}

/** Each bias value once per phase: channel co·S + φ. */
function repeatEach(bias: Float32Array, phases: number): Float32Array {
  const out = new Float32Array(bias.length * phases);
  bias.forEach((v, co) => out.fill(v, co * phases, (co + 1) * phases));
  return out;
}
