import type { VoxelArray } from '../volume/Volume.js';
import { integerTypeForRange, type RescaleRun } from '../volume/rescaleToSmallestType.js';
import type { ModalityLut } from './readModalityLut.js';

export interface ApplyModalityLutsParams {
  /** The series' stored values (masked, sign-extended), slice k from k × the run's length. */
  readonly stored: VoxelArray;
  /** Slice k's Modality LUT, undefined for a slice mapped by its rescale instead. */
  readonly luts: readonly (ModalityLut | undefined)[];
  /** Slice k's rescale (slope, intercept, length), used where it has no LUT. */
  readonly runs: readonly RescaleRun[];
}

/**
 * Maps stored values to real ones through each slice's Modality LUT (PS3.3 C.11.1.1: below the
 * first mapped value the first entry, past the table the last), or its rescale where it has none.
 * The type holds every table's whole range and the rescaled slices' values: the smallest integer
 * type, float32 when a slice's rescale is fractional. A type as wide as the stored one reuses its buffer.
 */
export function applyModalityLuts({ stored, luts, runs }: ApplyModalityLutsParams): VoxelArray {
  const integral = !(stored instanceof Float32Array || stored instanceof Float64Array);
  const fractional = runs.some((run, k) => luts[k] === undefined && !(integral && Number.isInteger(run.slope) && Number.isInteger(run.intercept)));
  const Type = fractional ? Float32Array : (integerTypeForRange(outputRange(stored, luts, runs)) ?? Float64Array);
  const target =
    Type.BYTES_PER_ELEMENT === stored.BYTES_PER_ELEMENT ? new Type(stored.buffer as ArrayBuffer, stored.byteOffset, stored.length) : new Type(stored.length);
  let start = 0;
  runs.forEach((run, k) => {
    const lut = luts[k];
    const end = start + run.length;
    // Element by element, reading before writing: `target` may share `stored`'s buffer.
    if (lut) {
      const { firstMapped, table } = lut;
      const last = table.length - 1;
      for (let i = start; i < end; i++) {
        const index = stored[i]! - firstMapped;
        target[i] = table[index < 0 ? 0 : index > last ? last : index]!;
      }
    } else {
      for (let i = start; i < end; i++) target[i] = stored[i]! * run.slope + run.intercept;
    }
    start = end;
  });
  return target;
}

/** The lowest and highest output: each table's whole range, each rescaled slice's values. */
function outputRange(stored: VoxelArray, luts: readonly (ModalityLut | undefined)[], runs: readonly RescaleRun[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  const include = (a: number, b: number): void => {
    low = Math.min(low, a, b);
    high = Math.max(high, a, b);
  };
  const tableRanges = new Map<Uint16Array, [number, number]>();
  let start = 0;
  runs.forEach((run, k) => {
    const lut = luts[k];
    const [min, max] = lut ? (tableRanges.get(lut.table) ?? rangeOf(lut.table)) : rangeOf(stored.subarray(start, start + run.length));
    if (lut) tableRanges.set(lut.table, [min, max]);
    if (min <= max) include(lut ? min : min * run.slope + run.intercept, lut ? max : max * run.slope + run.intercept);
    start += run.length;
  });
  return [low, high];
}

function rangeOf(values: VoxelArray): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}
