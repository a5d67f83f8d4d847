import protobuf from 'protobufjs';
import { onnxProtoText } from './onnxProtoText.js';

/** An int64 as protobufjs decodes it (a Long when the `long` package is present) or as Axial writes it. */
export type Int64 = number | { toNumber(): number };

/** The fields of onnx.TensorProto that the rewrite reads or writes, with the schema's names. */
export interface OnnxTensor {
  name?: string;
  dims?: Int64[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int64_data?: Int64[];
  data_location?: number;
  external_data?: unknown[];
  segment?: unknown;
}

export interface OnnxAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  ints?: Int64[];
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  graphs?: OnnxGraph[];
}

export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}

export interface OnnxValueInfo {
  name?: string;
}

export interface OnnxGraph {
  node?: OnnxNode[];
  initializer?: OnnxTensor[];
  sparse_initializer?: unknown[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  value_info?: OnnxValueInfo[];
}

export interface OnnxModel {
  ir_version?: Int64;
  opset_import?: { domain?: string; version?: Int64 }[];
  graph?: OnnxGraph;
  functions?: unknown[];
}

/** onnx.TensorProto.DataType values used here. */
export const tensorType = { float: 1, int64: 7 } as const;
/** onnx.AttributeProto.AttributeType values used here. */
export const attributeType = { int: 2, ints: 7 } as const;

let modelType: protobuf.Type | undefined;

/** onnx.ModelProto, parsed once from the official schema; field names kept as the schema spells them. */
function modelProto(): protobuf.Type {
  modelType ??= protobuf.parse(onnxProtoText, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/**
 * Decodes an ONNX file's bytes into onnx.ModelProto's fields.
 * @throws Error (protobufjs's) when the bytes are not a well-formed ModelProto: a length past the end, a wrong wire type.
 */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  return modelProto().decode(bytes) as unknown as OnnxModel;
}

/** Encodes a model (decoded, possibly edited) back into ONNX bytes. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  return modelProto()
    .encode(model as unknown as protobuf.Message)
    .finish();
}

/** The byte length a model would encode to, without building the bytes (protobufjs's writer only sums the fields' lengths). */
export function encodedOnnxLength(model: OnnxModel): number {
  return modelProto().encode(model as unknown as protobuf.Message).len;
}

/** An int64 field as a JavaScript number (the sizes and attributes read here are far below 2⁵³). */
export function int64ToNumber(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
