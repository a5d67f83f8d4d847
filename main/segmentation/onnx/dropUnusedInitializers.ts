import type { OnnxGraph } from './onnxModelCodec.js';

/** Removes the candidates (replaced weights) that no node, in any subgraph, and no graph output reads any more. */
export function dropUnusedInitializers(graph: OnnxGraph, candidates: ReadonlySet<string>): void {
  const read = new Set<string>((graph.output ?? []).map((o) => o.name ?? ''));
  const note = (g: OnnxGraph): void => {
    for (const n of g.node ?? []) {
      for (const name of n.input ?? []) read.add(name);
      for (const a of n.attribute ?? []) for (const sub of [a.g, ...(a.graphs ?? [])]) if (sub) note(sub);
    }
  };
  note(graph);
  graph.initializer = (graph.initializer ?? []).filter((t) => !candidates.has(t.name ?? '') || read.has(t.name ?? ''));
}
