import { int64ToNumber, type OnnxAttribute, type OnnxModel, type OnnxNode } from './onnxModelCodec.js';

/** onnx.AttributeProto.AttributeType FLOAT. */
const FLOAT_ATTRIBUTE = 1;
const FLOAT32 = 1;

/**
 * Replaces each PRelu of the main graph whose slope is one float32 value in an
 * initializer (MONAI's `nn.PReLU()`, num_parameters=1) by LeakyRelu with that
 * value as alpha: the same function (x for x ≥ 0, slope·x below), which
 * onnxruntime's CPU provider fuses into the Conv before it (its Conv +
 * activation fusion has LeakyRelu, not PRelu), saving a pass over the tensor.
 * Edits `model` in place; returns how many it replaced.
 */
export function rewritePReluAsLeakyRelu(model: OnnxModel): number {
  const graph = model.graph;
  if (graph === undefined) return 0;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const graphInputs = new Set((graph.input ?? []).map((v) => v.name));
  // torch's exporter shares equal constants through Identity nodes (24 of them in the spleen UNet): follow them.
  const identities = new Map(
    (graph.node ?? []).filter((n) => n.op_type === 'Identity' && (n.domain ?? '') === '').map((n) => [n.output?.[0] ?? '', n.input?.[0] ?? '']),
  );
  const source = (name: string): string => {
    let at = name;
    for (let hops = 0; hops < 16 && identities.has(at); hops++) at = identities.get(at)!;
    return at;
  };
  let replaced = 0;
  graph.node = (graph.node ?? []).map((node): OnnxNode => {
    if (node.op_type !== 'PRelu' || (node.domain ?? '') !== '' || (node.input ?? []).length !== 2) return node;
    const slopeName = source(node.input![1]!);
    const slope = initializers.get(slopeName);
    if (slope === undefined || graphInputs.has(slopeName) || (slope.data_type ?? 0) !== FLOAT32) return node;
    if ((slope.dims ?? []).map(int64ToNumber).reduce((p, d) => p * d, 1) !== 1) return node;
    const raw = slope.raw_data;
    let alpha: number | undefined;
    if (raw !== undefined && raw.length > 0) alpha = raw.length === 4 ? new DataView(raw.buffer, raw.byteOffset, 4).getFloat32(0, true) : undefined;
    else alpha = slope.float_data?.length === 1 ? slope.float_data[0] : undefined;
    if (alpha === undefined || !Number.isFinite(alpha)) return node;
    replaced++;
    const attribute: OnnxAttribute = { name: 'alpha', type: FLOAT_ATTRIBUTE, f: alpha };
    return { ...node, op_type: 'LeakyRelu', input: [node.input![0]!], attribute: [attribute] };
  });
  return replaced;
}
