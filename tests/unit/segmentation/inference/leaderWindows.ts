import type { WindowLeaders } from '../../../../main/segmentation/inference/windowLeaders.js';

// Windows of logits and the leaders store's lists of them, written plainly, for the specs of windowLeaders and topLeaders.

export const reach = 50;
export const slots = 8;

/** The lists as the leaders store defines them, one voxel at a time: NaN if a value is not finite, else every class at or above fround(best − reach). */
export function plainLists(output: Float32Array, channels: number, size: number): { ids: number[][]; values: number[][]; maxima: number[] } | 'not finite' {
  const ids: number[][] = [];
  const values: number[][] = [];
  const maxima: number[] = [];
  for (let v = 0; v < size; v++) {
    const column = Array.from({ length: channels }, (_, c) => output[c * size + v]!);
    if (column.some((x) => !Number.isFinite(x))) return 'not finite';
    const best = Math.max(...column);
    const threshold = Math.fround(best - reach);
    const listed = column.flatMap((x, c) => (x >= threshold ? [c] : []));
    ids.push(listed);
    values.push(listed.map((c) => column[c]!));
    maxima.push(best);
  }
  return { ids, values, maxima };
}

export function read(lists: WindowLeaders, size: number): { ids: number[][]; values: number[][]; maxima: number[] } {
  const ids: number[][] = [];
  const values: number[][] = [];
  for (let v = 0; v < size; v++) {
    const from = lists.offsets[v]!;
    ids.push(Array.from(lists.ids.subarray(from, from + lists.count[v]!)));
    values.push(Array.from(lists.values.subarray(from, from + lists.count[v]!)));
  }
  return { ids, values, maxima: Array.from(lists.maxima.subarray(0, size)) };
}

/**
 * A window of logits in bands (a few classes near each voxel's best, as the whole-body network gives), with ties at the
 * best, values exactly at fround(best − 50), just below it, and huge finite values; `spoil` then changes some.
 */
export function bandWindow(channels: number, size: number, seed: number): Float32Array {
  const out = new Float32Array(channels * size);
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let v = 0; v < size; v++) {
    const centre = Math.floor(random() * channels);
    const best = (random() - 0.5) * 2e4;
    for (let c = 0; c < channels; c++) out[c * size + v] = best - Math.abs(c - centre) * (13 + 40 * random());
    const pick = (): number => Math.floor(random() * channels) * size + v;
    const kind = v % 6;
    if (kind === 1) out[pick()] = out[centre * size + v]!; // a tie at the best
    if (kind === 2) out[pick()] = Math.fround(Math.fround(best) - reach); // exactly at the threshold
    if (kind === 3) out[pick()] = Math.fround(Math.fround(best) - reach) - 2 ** -10; // just below it (rounded to float32)
    if (kind === 4) {
      // huge finite values (their float32 sum would overflow): not a NaN
      for (let c = 0; c < channels; c++) out[c * size + v] = c === centre ? 3.4e38 : c % 2 ? 3.3e38 : -3.4e38;
    }
  }
  return out;
}
