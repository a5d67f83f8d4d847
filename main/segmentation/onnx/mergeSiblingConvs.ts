import { attributeType, int64ToNumber, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnxModelCodec.js';
import { createGraphBuilder, type GraphBuilder } from './createGraphBuilder.js';
import { dropUnusedInitializers } from './dropUnusedInitializers.js';
import { readDefaultOpset } from './readDefaultOpset.js';
import { MAX_WEIGHT_ELEMENTS, readFloatInitializer } from './readFloatInitializer.js';

/** A Conv whose filters (and bias) are float32 initializers, with their values once read. */
interface Sibling {
  readonly node: OnnxNode;
  readonly weight: { readonly dims: readonly number[]; readonly data: Float32Array };
  readonly bias: Float32Array | null;
}

const GEOMETRY = new Set(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);

/**
 * Merges the Convs of the main graph that read the same tensor with the same
 * geometry into one Conv holding all their filters, and a Split into their
 * outputs. MONAI's strided ResidualUnit has such a pair: its first conv and its
 * residual conv. onnxruntime's CPU Conv then expands the input (its vol2col)
 * once for both and runs one GEMM twice as tall: the same products, summed
 * within rounding of the separate Convs. Weights are read only for groups of
 * two or more, and at most MAX_WEIGHT_ELEMENTS of them in all, so a hostile
 * model cannot make this copy more than the rewrite's one budget. Edits
 * `model` in place; returns how many Convs were merged into another.
 */
export function mergeSiblingConvs(model: OnnxModel): number {
  const graph = model.graph;
  if (graph === undefined) return 0;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const graphInputs = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  const groups = new Map<string, OnnxNode[]>();
  for (const node of graph.node ?? []) {
    const dims = candidateWeightDims(node, initializers, graphInputs);
    if (dims === null) continue;
    const key = JSON.stringify([node.input![0], dims.slice(1), geometry(node)]);
    groups.set(key, [...(groups.get(key) ?? []), node]);
  }
  const builder = createGraphBuilder(graph, 'merged');
  const opset = readDefaultOpset(model);
  const replaced = new Map<OnnxNode, OnnxNode[]>();
  let budget = MAX_WEIGHT_ELEMENTS;
  let merged = 0;
  for (const nodes of groups.values()) {
    if (nodes.length < 2) continue;
    const siblings = readSiblings(nodes, initializers, budget);
    if (siblings === null) continue;
    budget -= siblings.reduce((n, s) => n + s.weight.data.length, 0);
    // The first in the graph's order: every sibling reads only the shared input and initializers, so the order stays topological.
    replaced.set(siblings[0]!.node, mergedNodes(siblings, opset, builder));
    for (const s of siblings.slice(1)) replaced.set(s.node, []);
    merged += siblings.length - 1;
  }
  if (merged === 0) return 0;
  graph.node = (graph.node ?? []).flatMap((n) => replaced.get(n) ?? [n]);
  graph.initializer = [...(graph.initializer ?? []), ...builder.initializers];
  dropUnusedInitializers(graph, new Set([...replaced.keys()].flatMap((n) => (n.input ?? []).slice(1))));
  return merged;
}

/** The weight's declared dims for a Conv that could merge (group 1, explicit pads, initializers no caller can override), or null. */
function candidateWeightDims(node: OnnxNode, initializers: ReadonlyMap<string, OnnxTensor>, graphInputs: ReadonlySet<string>): number[] | null {
  if (node.op_type !== 'Conv' || (node.domain ?? '') !== '' || (node.output ?? []).length !== 1 || !node.output![0]) return null;
  const [x, w, b] = node.input ?? [];
  if (!x || !w || (node.input!.length === 3 && !b) || node.input!.length > 3 || graphInputs.has(w) || (b && graphInputs.has(b))) return null;
  if ((node.attribute ?? []).some((a) => !GEOMETRY.has(a.name ?? ''))) return null;
  if (int64ToNumber(node.attribute?.find((a) => a.name === 'group')?.i ?? 1) !== 1) return null;
  const autoPad = node.attribute?.find((a) => a.name === 'auto_pad');
  if (autoPad !== undefined && !['', 'NOTSET'].includes(Buffer.from(autoPad.s ?? []).toString())) return null;
  if (!initializers.has(w) || (b && !initializers.has(b))) return null;
  const dims = (initializers.get(w)!.dims ?? []).map(int64ToNumber);
  return dims.length >= 3 ? dims : null;
}

/** The group's weights and biases, or null when one is unreadable, disagrees with its dims, or the budget is spent. */
function readSiblings(nodes: readonly OnnxNode[], initializers: ReadonlyMap<string, OnnxTensor>, budget: number): Sibling[] | null {
  const siblings: Sibling[] = [];
  for (const node of nodes) {
    const [, w, b] = node.input!;
    const weight = readFloatInitializer(initializers.get(w!), w!);
    if (typeof weight === 'string' || (budget -= weight.data.length) < 0) return null;
    const bias = b ? readFloatInitializer(initializers.get(b), b) : null;
    if (typeof bias === 'string' || (bias !== null && (bias.dims.length !== 1 || bias.dims[0] !== weight.dims[0]))) return null;
    siblings.push({ node, weight, bias: bias?.data ?? null });
  }
  return siblings;
}

/** Every geometry attribute as written: an absent one only matches an absent one, so equal Convs written differently stay apart, harmlessly. */
function geometry(node: OnnxNode): unknown[] {
  return [...GEOMETRY].map((name) => {
    const a = node.attribute?.find((at) => at.name === name);
    return a === undefined ? null : [(a.ints ?? []).map(int64ToNumber), a.i === undefined ? null : int64ToNumber(a.i), Buffer.from(a.s ?? []).toString()];
  });
}

function mergedNodes(siblings: readonly Sibling[], opset: number, builder: GraphBuilder): OnnxNode[] {
  const first = siblings[0]!;
  const counts = siblings.map((s) => s.weight.dims[0]!);
  const total = counts.reduce((a, b) => a + b, 0);
  const weights = new Float32Array(siblings.reduce((n, s) => n + s.weight.data.length, 0));
  let at = 0;
  for (const s of siblings) {
    weights.set(s.weight.data, at);
    at += s.weight.data.length;
  }
  const out = builder.fresh(first.node.output![0]!);
  const inputs = [first.node.input![0]!, builder.floats(`${out}_weight`, [total, ...first.weight.dims.slice(1)], weights)];
  if (siblings.some((s) => s.bias !== null)) {
    // A sibling without a bias adds zeros.
    const bias = new Float32Array(total);
    let offset = 0;
    for (const s of siblings) {
      if (s.bias !== null) bias.set(s.bias, offset);
      offset += s.weight.dims[0]!;
    }
    inputs.push(builder.floats(`${out}_bias`, [total], bias));
  }
  const axis = { name: 'axis', type: attributeType.int, i: 1 };
  // Split takes its sizes as an input from opset 13, as an attribute before.
  const split: OnnxNode =
    opset >= 13
      ? { op_type: 'Split', input: [out, builder.ints(`${out}_split`, counts)], attribute: [axis] }
      : { op_type: 'Split', input: [out], attribute: [axis, { name: 'split', type: attributeType.ints, ints: counts }] };
  return [
    { ...first.node, name: out, input: inputs, output: [out] },
    { ...split, name: builder.fresh(`${out}_split`), output: siblings.map((s) => s.node.output![0]!) },
  ];
}
