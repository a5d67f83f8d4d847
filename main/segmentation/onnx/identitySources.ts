import type { OnnxGraph } from './onnxModelCodec.js';

/**
 * A lookup from a tensor name to the name it copies through Identity nodes of
 * the main graph (torch's exporter shares equal constants that way: 24 of
 * them in the spleen UNet), or to itself. Follows at most 16 hops, so a cycle
 * in a hostile file ends.
 */
export function identitySources(graph: OnnxGraph): (name: string) => string {
  const identities = new Map(
    (graph.node ?? []).filter((n) => n.op_type === 'Identity' && (n.domain ?? '') === '').map((n) => [n.output?.[0] ?? '', n.input?.[0] ?? '']),
  );
  return (name) => {
    let at = name;
    for (let hops = 0; hops < 16 && identities.has(at); hops++) at = identities.get(at)!;
    return at;
  };
}
