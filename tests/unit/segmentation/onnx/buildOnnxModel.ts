/**
 * Writes a small ONNX model's protobuf bytes by hand (onnx.proto3 field
 * numbers), so a test can make a model that misbehaves on purpose without
 * Python, torch or the onnx package: e.g. Concat(x, Sqrt(x)), whose second
 * channel is NaN wherever the image is negative.
 */

/** A dimension: a fixed size, or a symbolic name (a dynamic axis). */
export type OnnxDim = number | string;

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Integer attributes only (e.g. Concat's axis): all these tests need. */
  readonly attributes?: Readonly<Record<string, number>>;
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  /** One float32 input and one float32 output. */
  readonly input: { readonly name: string; readonly shape: readonly OnnxDim[] };
  readonly output: { readonly name: string; readonly shape: readonly OnnxDim[] };
  /** Default 17. */
  readonly opset?: number;
}

const float32 = 1;
const attributeInt = 2;

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = BigInt(value);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return bytes;
}

/** A varint field (wire type 0). */
function int(field: number, value: number): number[] {
  return [...varint(field << 3), ...varint(value)];
}

/** A length-delimited field (wire type 2): a string or a nested message. */
function bytes(field: number, content: readonly number[] | string): number[] {
  const data = typeof content === 'string' ? [...Buffer.from(content, 'utf8')] : content;
  return [...varint((field << 3) | 2), ...varint(data.length), ...data];
}

function valueInfo(name: string, shape: readonly OnnxDim[]): number[] {
  const dims = shape.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : bytes(2, d)));
  const tensorType = [...int(1, float32), ...bytes(2, dims)];
  return [...bytes(1, name), ...bytes(2, bytes(1, tensorType))];
}

function node(n: OnnxNode, index: number): number[] {
  const attributes = Object.entries(n.attributes ?? {}).flatMap(([name, value]) => bytes(5, [...bytes(1, name), ...int(3, value), ...int(20, attributeInt)]));
  return [...n.inputs.flatMap((i) => bytes(1, i)), ...n.outputs.flatMap((o) => bytes(2, o)), ...bytes(3, `node${index}`), ...bytes(4, n.op), ...attributes];
}

/** The ModelProto bytes of a one-input, one-output float32 graph. */
export function buildOnnxModel(graph: OnnxGraph): Uint8Array {
  const graphBytes = [
    ...graph.nodes.flatMap((n, i) => bytes(1, node(n, i))),
    ...bytes(2, 'axial-test'),
    ...bytes(11, valueInfo(graph.input.name, graph.input.shape)),
    ...bytes(12, valueInfo(graph.output.name, graph.output.shape)),
  ];
  const opset = [...bytes(1, ''), ...int(2, graph.opset ?? 17)];
  return Uint8Array.from([...int(1, 8), ...bytes(2, 'axial-test'), ...bytes(7, graphBytes), ...bytes(8, opset)]);
}

/**
 * [N, 1, X, Y, Z] → [N, 2, X, Y, Z]: channel 0 is the image, channel 1 its
 * square root, NaN where the image is negative. Every axis but the channels is dynamic.
 */
export function sqrtChannelModel(): Uint8Array {
  return buildOnnxModel({
    nodes: [
      { op: 'Sqrt', inputs: ['x'], outputs: ['root'] },
      { op: 'Concat', inputs: ['x', 'root'], outputs: ['y'], attributes: { axis: 1 } },
    ],
    input: { name: 'x', shape: ['N', 1, 'X', 'Y', 'Z'] },
    output: { name: 'y', shape: ['N', 2, 'X', 'Y', 'Z'] },
  });
}
