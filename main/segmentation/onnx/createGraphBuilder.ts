import { tensorType, type OnnxGraph, type OnnxTensor } from './onnxModelCodec.js';

/** Fresh tensor names and constant initializers for new nodes. */
export interface GraphBuilder {
  fresh(hint: string): string;
  floats(hint: string, dims: readonly number[], data: Float32Array): string;
  /** An int64 initializer; `dims` default to one axis of the values' length. */
  ints(hint: string, values: readonly number[], dims?: readonly number[]): string;
}

/**
 * Names that no node, initializer or value of the graph (or its subgraphs)
 * uses, each `<hint>__<tag><n>` (the tag lets a profile find the rewrite's
 * nodes), and the initializers the new nodes need, to append to the graph.
 */
export function createGraphBuilder(graph: OnnxGraph, tag: string): GraphBuilder & { initializers: OnnxTensor[] } {
  const used = new Set<string>();
  const note = (g: OnnxGraph): void => {
    for (const n of g.node ?? []) {
      for (const name of [...(n.input ?? []), ...(n.output ?? []), n.name ?? '']) used.add(name);
      for (const a of n.attribute ?? []) for (const sub of [a.g, ...(a.graphs ?? [])]) if (sub) note(sub);
    }
    for (const t of g.initializer ?? []) used.add(t.name ?? '');
    for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.value_info ?? [])]) used.add(v.name ?? '');
  };
  note(graph);
  let counter = 0;
  const initializers: OnnxTensor[] = [];
  const fresh = (hint: string): string => {
    let name: string;
    do name = `${hint}__${tag}${counter++}`;
    while (used.has(name));
    used.add(name);
    return name;
  };
  return {
    initializers,
    fresh,
    floats(hint, dims, data) {
      const name = fresh(hint);
      initializers.push({ name, dims: [...dims], data_type: tensorType.float, raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
      return name;
    },
    ints(hint, values, dims = [values.length]) {
      const name = fresh(hint);
      const data = BigInt64Array.from(values.map((v) => BigInt(v)));
      initializers.push({ name, dims: [...dims], data_type: tensorType.int64, raw_data: new Uint8Array(data.buffer) });
      return name;
    },
  };
}
