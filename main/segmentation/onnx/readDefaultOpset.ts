import { int64ToNumber, type OnnxModel } from './onnxModelCodec.js';

/** The model's opset for ONNX's default domain (0 when it declares none). */
export function readDefaultOpset(model: OnnxModel): number {
  const entry = (model.opset_import ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  return int64ToNumber(entry?.version);
}
