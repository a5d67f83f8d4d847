import { attributeType, encodeOnnxModel, tensorType, type OnnxValueInfo } from '../onnx/onnxModelCodec.js';

/** A graph input or output with its type, which ONNX requires of them (the codec's OnnxValueInfo leaves the field out). */
interface TypedValueInfo extends OnnxValueInfo {
  readonly type: { readonly tensor_type: { readonly elem_type: number; readonly shape: { readonly dim: readonly { readonly dim_value: number }[] } } };
}

function floatTensor(name: string, dims: readonly number[]): TypedValueInfo {
  return { name, type: { tensor_type: { elem_type: tensorType.float, shape: { dim: dims.map((d) => ({ dim_value: d })) } } } };
}

/**
 * The ONNX model behind createLeaderReducer: one window's output `x` [1, channels, rx, ry, rz] in, each voxel's best
 * logit `maxima` [1, 1, rx, ry, rz] out (ReduceMax over the classes; opset 17, where its axes are an attribute).
 */
export function leaderMaximaModel(channels: number, roi: readonly [number, number, number]): Uint8Array {
  return encodeOnnxModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      node: [
        {
          op_type: 'ReduceMax',
          input: ['x'],
          output: ['maxima'],
          attribute: [
            { name: 'axes', type: attributeType.ints, ints: [1] },
            { name: 'keepdims', type: attributeType.int, i: 1 },
          ],
        },
      ],
      input: [floatTensor('x', [1, channels, ...roi])],
      output: [floatTensor('maxima', [1, 1, ...roi])],
    },
  });
}
