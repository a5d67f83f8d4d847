import { encodeRuns } from './encodeRuns.js';
import { RunBuilder } from './RunBuilder.js';
import type { LayerRuns } from './types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { UintList } from './UintList.js';

/** A layer's net change over one undo step: the changed voxels' old and new values, run-length encoded. */
export interface LayerDiff {
  readonly layer: number;
  readonly oldRuns: Uint32Array;
  readonly newRuns: Uint32Array;
}

/** Writes one layer's voxels, remembering what they held. */
export interface LayerWriter {
  readonly array: LabelArray;
  /** Sets a voxel; false (and nothing recorded) when it already held the value. */
  write(voxel: number, value: number): boolean;
  /**
   * Writes run triples (first voxel, count, value; ascending): for bulk
   * changes (delete, clean-ups), which record runs directly when they are
   * the transaction's first change to the layer.
   */
  writeRuns(runs: Uint32Array): void;
}

/** What the command since the last call changed: the new values per layer and the label values involved. */
export interface CommandEdits {
  readonly edits: LayerRuns[];
  readonly touched: SegmentKey[];
}

/**
 * Records voxel changes for events and undo without copying layers: each
 * command's changed voxel numbers (for its event), and over a transaction
 * (one undo step, e.g. a whole stroke) the first old value of each changed
 * voxel, found in O(1) through a bit per voxel that is cleared on commit.
 */
export interface EditRecorder {
  /** A writer for a layer; get a new one after the layer's array is replaced. */
  writer(layerIndex: number, array: LabelArray): LayerWriter;
  /** The current command's changes (ascending runs of new values); starts the next command's. */
  takeCommandEdits(): CommandEdits;
  /** The transaction's net change per layer, leaving out voxels back at their old value; starts the next transaction. */
  commit(): LayerDiff[];
}

class LayerLog {
  bits: Uint8Array;
  readonly voxels = new UintList();
  readonly olds = new UintList();
  sorted = true;
  readonly command = new UintList();
  commandSorted = true;
  readonly touched = new Set<number>();
  /** A bulk change's diff, recorded as runs (only ever alone in its transaction). */
  bulk: { readonly oldRuns: Uint32Array; readonly newRuns: Uint32Array } | null = null;
  commandBulk: Uint32Array | null = null;
  array: LabelArray;

  constructor(
    readonly layer: number,
    array: LabelArray,
  ) {
    this.array = array;
    this.bits = new Uint8Array((array.length + 7) >> 3);
  }
}

/** A recorder with nothing recorded yet. */
export function createEditRecorder(): EditRecorder {
  const logs = new Map<number, LayerLog>();
  return {
    writer(layerIndex, array) {
      let log = logs.get(layerIndex);
      if (!log) logs.set(layerIndex, (log = new LayerLog(layerIndex, array)));
      log.array = array;
      return layerWriter(log);
    },
    takeCommandEdits() {
      const edits: LayerRuns[] = [];
      const touched: SegmentKey[] = [];
      for (const log of logs.values()) {
        if (log.commandBulk) edits.push({ layer: log.layer, runs: log.commandBulk });
        else if (log.command.length > 0) edits.push({ layer: log.layer, runs: commandRuns(log) });
        log.commandBulk = null;
        for (const value of log.touched) if (value !== 0) touched.push({ layer: log.layer, value });
        log.command.clear();
        log.commandSorted = true;
        log.touched.clear();
      }
      return { edits, touched };
    },
    commit() {
      const diffs: LayerDiff[] = [];
      for (const log of logs.values()) {
        if (log.bulk) diffs.push({ layer: log.layer, ...log.bulk });
        log.bulk = null;
        if (log.voxels.length === 0) continue;
        const diff = netDiff(log);
        if (diff) diffs.push(diff);
      }
      return diffs;
    },
  };
}

function layerWriter(log: LayerLog): LayerWriter {
  const { array, bits, voxels, olds, command, touched } = log;
  let lastOld = -1;
  let lastNew = -1;
  return {
    array,
    writeRuns(runs) {
      if (log.bulk || log.voxels.length > 0 || log.command.length > 0) {
        for (let r = 0; r < runs.length; r += 3) for (let n = runs[r]!; n < runs[r]! + runs[r + 1]!; n++) this.write(n, runs[r + 2]!);
        return;
      }
      const before = new RunBuilder();
      const after = new RunBuilder();
      for (let r = 0; r < runs.length; r += 3) {
        const end = runs[r]! + runs[r + 1]!;
        const value = runs[r + 2]!;
        for (let n = runs[r]!; n < end; n++) {
          const old = array[n]!;
          if (old === value) continue;
          array[n] = value;
          before.push(n, old);
          after.push(n, value);
          if (old !== lastOld) touched.add((lastOld = old));
          if (value !== lastNew) touched.add((lastNew = value));
        }
      }
      if (before.isEmpty) return;
      log.bulk = { oldRuns: before.toRuns(), newRuns: after.toRuns() };
      log.commandBulk = log.bulk.newRuns;
    },
    write(voxel, value) {
      const old = array[voxel]!;
      if (old === value) return false;
      if (log.bulk) explodeBulk(log);
      array[voxel] = value;
      const byte = voxel >>> 3;
      const bit = 1 << (voxel & 7);
      if ((bits[byte]! & bit) === 0) {
        bits[byte] = bits[byte]! | bit;
        if (voxels.length > 0 && voxel < voxels.at(voxels.length - 1)) log.sorted = false;
        voxels.push(voxel);
        olds.push(old);
      }
      if (command.length > 0 && voxel < command.at(command.length - 1)) log.commandSorted = false;
      command.push(voxel);
      if (old !== lastOld) touched.add((lastOld = old));
      if (value !== lastNew) touched.add((lastNew = value));
      return true;
    },
  };
}

/** Turns a bulk change back into per-voxel records, for a later single write in the same transaction to join. */
function explodeBulk(log: LayerLog): void {
  const { oldRuns, newRuns } = log.bulk!;
  log.bulk = null;
  for (let r = 0; r < oldRuns.length; r += 3) {
    for (let n = oldRuns[r]!; n < oldRuns[r]! + oldRuns[r + 1]!; n++) {
      log.bits[n >>> 3] = log.bits[n >>> 3]! | (1 << (n & 7));
      log.voxels.push(n);
      log.olds.push(oldRuns[r + 2]!);
    }
  }
  if (log.commandBulk !== newRuns) return;
  log.commandBulk = null;
  for (let r = 0; r < newRuns.length; r += 3) for (let n = newRuns[r]!; n < newRuns[r]! + newRuns[r + 1]!; n++) log.command.push(n);
}

/** Runs of the current values of the command's changed voxels. */
function commandRuns(log: LayerLog): Uint32Array {
  const voxels = log.command.toArray();
  if (!log.commandSorted) voxels.sort();
  const unique = dropRepeats(voxels);
  const values = new Uint32Array(unique.length);
  for (let k = 0; k < unique.length; k++) values[k] = log.array[unique[k]!]!;
  return encodeRuns(unique, values);
}

function dropRepeats(sorted: Uint32Array): Uint32Array {
  let w = 0;
  for (let r = 0; r < sorted.length; r++) if (r === 0 || sorted[r] !== sorted[r - 1]) sorted[w++] = sorted[r]!;
  return w === sorted.length ? sorted : sorted.subarray(0, w);
}

/** The transaction's change to one layer; clears the layer's log. */
function netDiff(log: LayerLog): LayerDiff | null {
  const count = log.voxels.length;
  let voxels = log.voxels.toArray();
  let olds = log.olds.toArray();
  if (!log.sorted) [voxels, olds] = sortPairs(voxels, olds);
  for (let k = 0; k < count; k++) log.bits[voxels[k]! >>> 3] = 0;
  log.voxels.clear();
  log.olds.clear();
  log.sorted = true;
  const changed = new Uint32Array(count);
  const before = new Uint32Array(count);
  const after = new Uint32Array(count);
  let n = 0;
  for (let k = 0; k < count; k++) {
    const now = log.array[voxels[k]!]!;
    if (now === olds[k]) continue;
    changed[n] = voxels[k]!;
    before[n] = olds[k]!;
    after[n++] = now;
  }
  if (n === 0) return null;
  return {
    layer: log.layer,
    oldRuns: encodeRuns(changed.subarray(0, n), before.subarray(0, n)),
    newRuns: encodeRuns(changed.subarray(0, n), after.subarray(0, n)),
  };
}

/** Sorts voxel numbers with their values riding along (packed as voxel · 2¹⁶ + value, exact in a float64). */
function sortPairs(voxels: Uint32Array, values: Uint32Array): [Uint32Array, Uint32Array] {
  const keys = new Float64Array(voxels.length);
  for (let k = 0; k < keys.length; k++) keys[k] = voxels[k]! * 65536 + values[k]!;
  keys.sort();
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    values[k] = key % 65536;
    voxels[k] = (key - values[k]!) / 65536;
  }
  return [voxels, values];
}
