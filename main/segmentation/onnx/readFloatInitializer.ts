import { int64ToNumber, tensorType, type OnnxTensor } from './onnxModelCodec.js';

/** Initializers larger than this (elements) are not read: a hostile file's dims are checked before any allocation. */
export const MAX_WEIGHT_ELEMENTS = 1 << 26;

/** A float32 initializer's values, or why it cannot be used (absent, external data, another type, sizes that disagree). */
export function readFloatInitializer(tensor: OnnxTensor | undefined, what: string): { dims: number[]; data: Float32Array } | string {
  if (tensor === undefined) return `${what} is not an initializer`;
  if ((tensor.data_type ?? 0) !== tensorType.float) return `${what} is not float32`;
  if ((tensor.data_location ?? 0) !== 0 || (tensor.external_data ?? []).length > 0 || tensor.segment)
    return `${what} is stored outside the model or in segments`;
  const dims = (tensor.dims ?? []).map(int64ToNumber);
  const count = dims.reduce((p, d) => p * d, 1);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1) || count > MAX_WEIGHT_ELEMENTS) return `${what} has dims [${dims.join(', ')}]`;
  const raw = tensor.raw_data;
  if (raw !== undefined && raw.length > 0) {
    if (raw.length !== count * 4) return `${what} holds ${raw.length} bytes for ${count} floats`;
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(raw);
    return { dims, data };
  }
  const values = tensor.float_data ?? [];
  if (values.length !== count) return `${what} holds ${values.length} values for ${count}`;
  return { dims, data: Float32Array.from(values) };
}
