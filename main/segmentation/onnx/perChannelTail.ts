import { int64ToNumber, type OnnxGraph, type OnnxNode, type OnnxTensor } from './onnxModelCodec.js';
import { readFloatInitializer } from './readFloatInitializer.js';

/**
 * Element-wise activations with no tensor input but x. onnxruntime's CPU
 * provider fuses Relu, LeakyRelu, Sigmoid, Tanh and HardSigmoid into the Conv
 * before them; the others still commute with the interleave.
 */
const ACTIVATIONS = new Set(['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'Elu', 'Selu', 'Softplus', 'Softsign']);

/** What a ConvTranspose's output runs through alone, per channel, before anything else reads it. */
export interface PerChannelTail {
  /** An inference-mode BatchNormalization and its scale, bias, mean and variance ([Cout] each), or null. */
  readonly norm: { readonly node: OnnxNode; readonly params: readonly Float32Array[] } | null;
  /**
   * An element-wise activation after it (a PRelu only with one slope), and its inputs after x (a PRelu's slope,
   * named as the initializer itself: the Identity that copies it may come after the new node's place), or null.
   */
  readonly activation: { readonly node: OnnxNode; readonly parameters: readonly string[] } | null;
  /** The tail's last output: the name the interleaved result takes instead of the ConvTranspose's. */
  readonly output: string;
}

/** What perChannelTail needs to know about the graph, built once for all ConvTransposes. */
export interface GraphReaders {
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  /** How many times each name is read: by a node of any (sub)graph, or as a graph output. */
  readonly reads: ReadonlyMap<string, number>;
  /** The main graph's node reading each name (the last one, which is the only one where reads is 1). */
  readonly reader: ReadonlyMap<string, OnnxNode>;
  /** The initializer a name copies through Identity nodes (identitySources.ts), or the name itself. */
  readonly source: (name: string) => string;
  readonly graphInputs: ReadonlySet<string>;
}

/** Counts every read of every name, in subgraphs too, so a tail that something else reads is never moved. */
export function graphReaders(graph: OnnxGraph, source: (name: string) => string): GraphReaders {
  const reads = new Map<string, number>();
  const reader = new Map<string, OnnxNode>();
  const count = (name: string): void => void reads.set(name, (reads.get(name) ?? 0) + 1);
  const note = (g: OnnxGraph, main: boolean): void => {
    for (const n of g.node ?? []) {
      for (const name of n.input ?? []) {
        count(name);
        if (main) reader.set(name, n);
      }
      for (const a of n.attribute ?? []) for (const sub of [a.g, ...(a.graphs ?? [])]) if (sub) note(sub, false);
    }
    for (const o of g.output ?? []) count(o.name ?? '');
  };
  note(graph, true);
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  return { initializers, reads, reader, source, graphInputs: new Set((graph.input ?? []).map((v) => v.name ?? '')) };
}

/**
 * The BatchNormalization (inference mode) and/or element-wise activation that
 * read a ConvTranspose's output `y` and nothing else reads: both act on each
 * channel alone, the same at every voxel, so they give the same values on the
 * stacked phases before the interleave as after it. Run there, onnxruntime
 * folds the normalization into the Conv's weights and fuses the activation,
 * two passes over the up-sampled tensor fewer. Null when there is none.
 */
export function perChannelTail(y: string, cout: number, rank: number, readers: GraphReaders): PerChannelTail | null {
  const only = (name: string): OnnxNode | undefined => (readers.reads.get(name) === 1 ? readers.reader.get(name) : undefined);
  let at = y;
  let norm: PerChannelTail['norm'] = null;
  const first = only(at);
  if (first !== undefined && isNorm(first, at)) {
    const params = normParams(first, cout, readers);
    if (params === null) return null;
    norm = { node: first, params };
    at = first.output![0]!;
  }
  const next = only(at);
  const activation = next !== undefined && isActivation(next, at, rank, readers) ? { node: next, parameters: next.input!.slice(1).map(readers.source) } : null;
  if (activation !== null) at = activation.node.output![0]!;
  return norm === null && activation === null ? null : { norm, activation, output: at };
}

function isNorm(node: OnnxNode, x: string): boolean {
  if (node.op_type !== 'BatchNormalization' || (node.domain ?? '') !== '') return false;
  if ((node.input ?? []).length !== 5 || node.input![0] !== x || (node.output ?? []).length !== 1 || !node.output![0]) return false;
  // training_mode (opset 14) and spatial = 0 (before opset 9) change what is computed; epsilon and momentum are kept as they are.
  return (node.attribute ?? []).every(
    (a) =>
      a.name === 'epsilon' ||
      a.name === 'momentum' ||
      ((a.name === 'training_mode' || a.name === 'spatial') && int64ToNumber(a.i) === (a.name === 'spatial' ? 1 : 0)),
  );
}

function normParams(node: OnnxNode, cout: number, readers: GraphReaders): Float32Array[] | null {
  const params: Float32Array[] = [];
  for (const name of node.input!.slice(1)) {
    const source = readers.source(name);
    if (readers.graphInputs.has(source) || readers.graphInputs.has(name)) return null;
    const tensor = readFloatInitializer(readers.initializers.get(source), name);
    if (typeof tensor === 'string' || tensor.dims.length !== 1 || tensor.dims[0] !== cout) return null;
    params.push(tensor.data);
  }
  return params;
}

/** `rank`: the ConvTranspose's output rank; a slope of higher rank would broadcast the output to more axes. */
function isActivation(node: OnnxNode, x: string, rank: number, readers: GraphReaders): boolean {
  if ((node.domain ?? '') !== '' || (node.output ?? []).length !== 1 || !node.output![0] || node.input?.[0] !== x) return false;
  if (ACTIVATIONS.has(node.op_type ?? '')) return node.input.length === 1;
  if (node.op_type !== 'PRelu' || node.input.length !== 2) return false;
  // One slope for every channel; a slope per channel would need repeating per phase.
  const slope = readers.source(node.input[1]!);
  if (readers.graphInputs.has(slope) || readers.graphInputs.has(node.input[1]!)) return false;
  const tensor = readFloatInitializer(readers.initializers.get(slope), slope);
  return typeof tensor !== 'string' && tensor.data.length === 1 && tensor.dims.length <= rank;
}
