import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { outputDifference } from './outputDifference.js';

/** Seeded uniform values in [-1, 1) (xorshift32). */
export function randomInput(count: number, seed: number): Float32Array {
  const data = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let n = 0; n < count; n++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[n] = (s >>> 0) / 2 ** 31 - 1;
  }
  return data;
}

/** Runs a model (its file or bytes) once on the CPU, fully optimised on one thread: input `x` of `shape`, output `y`. */
export async function runOnnxOnce(
  model: string | Uint8Array,
  input: Float32Array,
  shape: readonly number[],
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(model as Uint8Array, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const out = (await session.run({ x: new ort.Tensor('float32', input, [...shape]) })).y!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

/** Runs a model file and its rewrite on the same random input (same output dims expected); the largest difference and the output's scale. */
export async function compareWithFile(file: string, bytes: Uint8Array, shape: readonly number[], seed: number): Promise<{ maxAbs: number; scale: number }> {
  const input = randomInput(
    shape.reduce((p, d) => p * d, 1),
    seed,
  );
  const expected = await runOnnxOnce(file, input, shape);
  const actual = await runOnnxOnce(bytes, input, shape);
  expect(actual.dims).toEqual(expected.dims);
  return outputDifference(actual.data, expected.data);
}
