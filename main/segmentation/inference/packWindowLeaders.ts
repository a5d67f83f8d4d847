import type { WindowLeaders } from './windowLeaders.js';

/**
 * A copy of the first `size` voxels' leaders in one buffer of their own, holding only the entries used: what a thread
 * hands on with the buffer transferred. A 105-class 96³ window of the whole-body bench packs into about 16 MB, against
 * 50 MB for the room windowLeaders fills and 371 MB for the network output it comes from.
 */
export function packWindowLeaders(lists: WindowLeaders, size: number): WindowLeaders {
  const entries = size === 0 ? 0 : lists.offsets[size - 1]! + lists.count[size - 1]!;
  // Four-byte arrays first, then the two-byte ids, then the counts: every view starts aligned.
  const buffer = new ArrayBuffer(9 * size + 6 * entries);
  const offsets = new Uint32Array(buffer, 0, size);
  const maxima = new Float32Array(buffer, 4 * size, size);
  const values = new Float32Array(buffer, 8 * size, entries);
  const ids = new Uint16Array(buffer, 8 * size + 4 * entries, entries);
  const count = new Uint8Array(buffer, 8 * size + 6 * entries, size);
  offsets.set(lists.offsets.subarray(0, size));
  maxima.set(lists.maxima.subarray(0, size));
  values.set(lists.values.subarray(0, entries));
  ids.set(lists.ids.subarray(0, entries));
  count.set(lists.count.subarray(0, size));
  return { slots: lists.slots, count, offsets, ids, values, maxima };
}
