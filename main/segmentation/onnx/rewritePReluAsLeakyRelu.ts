import type { OnnxAttribute, OnnxModel, OnnxNode } from './onnxModelCodec.js';
import { identitySources } from './identitySources.js';
import { readFloatInitializer } from './readFloatInitializer.js';

/** onnx.AttributeProto.AttributeType FLOAT. */
const FLOAT_ATTRIBUTE = 1;

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
  const source = identitySources(graph);
  let replaced = 0;
  graph.node = (graph.node ?? []).map((node): OnnxNode => {
    if (node.op_type !== 'PRelu' || (node.domain ?? '') !== '' || (node.input ?? []).length !== 2) return node;
    const slopeName = source(node.input![1]!);
    if (graphInputs.has(slopeName)) return node;
    const slope = readFloatInitializer(initializers.get(slopeName), slopeName);
    const alpha = typeof slope === 'string' || slope.data.length !== 1 ? undefined : slope.data[0]!;
    if (alpha === undefined || !Number.isFinite(alpha)) return node;
    replaced++;
    const attribute: OnnxAttribute = { name: 'alpha', type: FLOAT_ATTRIBUTE, f: alpha };
    return { ...node, op_type: 'LeakyRelu', input: [node.input![0]!], attribute: [attribute] };
  });
  return replaced;
}
