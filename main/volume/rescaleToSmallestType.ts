import type { VoxelArray } from './Volume.js';

/** A linear map from stored to real values, for a run of `length` voxels. */
export interface RescaleRun {
  readonly slope: number;
  readonly intercept: number;
  readonly length: number;
}

export type IntegerArrayConstructor =
  Int8ArrayConstructor | Uint8ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor;

const integerTypes: readonly [IntegerArrayConstructor, number, number][] = [
  [Uint8Array, 0, 255],
  [Int8Array, -128, 127],
  [Uint16Array, 0, 65535],
  [Int16Array, -32768, 32767],
  [Uint32Array, 0, 4294967295],
  [Int32Array, -2147483648, 2147483647],
];

/**
 * Applies per-run slope and intercept and returns the real values in the
 * smallest array type that holds all of them exactly: an integer type when
 * the stored values and the maps are integral, float32 otherwise. Identity
 * maps return `stored` itself; a same-width integer result reuses its buffer.
 */
export function rescaleToSmallestType(stored: VoxelArray, runs: readonly RescaleRun[]): VoxelArray {
  if (runs.every((r) => r.slope === 1 && r.intercept === 0)) return stored;
  const integral =
    !(stored instanceof Float32Array || stored instanceof Float64Array) && runs.every((r) => Number.isInteger(r.slope) && Number.isInteger(r.intercept));
  if (!integral) return applyRuns(stored, runs, new Float32Array(stored.length));
  const Type = integerTypeForRange(rescaledRange(stored, runs));
  if (!Type) return applyRuns(stored, runs, new Float64Array(stored.length));
  const target =
    Type.BYTES_PER_ELEMENT === stored.BYTES_PER_ELEMENT ? new Type(stored.buffer as ArrayBuffer, stored.byteOffset, stored.length) : new Type(stored.length);
  return applyRuns(stored, runs, target);
}

/** The smallest integer array type that holds every value in [low, high], if any. */
export function integerTypeForRange([low, high]: readonly [number, number]): IntegerArrayConstructor | undefined {
  return integerTypes.find(([, min, max]) => low >= min && high <= max)?.[0];
}

/** The range of every run's map applied to [min, max]. */
export function mappedRange([min, max]: readonly [number, number], runs: readonly RescaleRun[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const run of runs) {
    const a = min * run.slope + run.intercept;
    const b = max * run.slope + run.intercept;
    low = Math.min(low, a, b);
    high = Math.max(high, a, b);
  }
  return [low, high];
}

function rescaledRange(stored: VoxelArray, runs: readonly RescaleRun[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  let start = 0;
  for (const run of runs) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = start; i < start + run.length; i++) {
      const v = stored[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    start += run.length;
    if (min > max) continue;
    const a = min * run.slope + run.intercept;
    const b = max * run.slope + run.intercept;
    low = Math.min(low, a, b);
    high = Math.max(high, a, b);
  }
  return [low, high];
}

/** Writes element by element, so `target` may share `stored`'s buffer at the same element width. */
function applyRuns<T extends VoxelArray>(stored: VoxelArray, runs: readonly RescaleRun[], target: T): T {
  let start = 0;
  for (const { slope, intercept, length } of runs) {
    const end = start + length;
    for (let i = start; i < end; i++) target[i] = stored[i]! * slope + intercept;
    start = end;
  }
  return target;
}
