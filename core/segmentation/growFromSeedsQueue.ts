/**
 * A monotone bucket queue (Dial's algorithm) for integer distances: a ring of
 * buckets one per distance, as many as the largest edge weight + 1, so every
 * queued distance (between the current one and current + largest weight)
 * has a bucket of its own. Each bucket is a stack on its own growable
 * Int32Array (no object per voxel; a pooled linked list measured about twice
 * as slow); a bitmap of buckets that were filled finds the next distance
 * without walking empty ones. Stale entries (a voxel queued again at a
 * smaller distance) are left in place and skipped by the caller, which checks
 * the voxel's distance against {@link current}.
 *
 * propagateGrowFromSeeds pushes and pops the stacks itself ({@link stacks},
 * {@link counts}, {@link mask}): it reads the entries about to be popped
 * ahead of time, and the method calls measured slower there.
 */
export class GrowFromSeedsQueue {
  /** The distance of the bucket last found by {@link nextSlot}. */
  current = 0;
  /**
   * The cells propagateGrowFromSeeds reads ahead, folded: no meaning, but a write to an object the caller keeps,
   * which neither a bundler nor V8 may drop, so the reads (and the cache misses they take early) stay.
   */
  readAhead = 0;
  /** Each bucket's stack; entries 0…counts[slot]-1 are queued, the last popped first. */
  readonly stacks: Int32Array[];
  readonly counts: Int32Array;
  /** The ring's size less one: a distance's bucket is distance & mask. */
  readonly mask: number;
  /** Bit per bucket, set when it was filled; cleared once {@link nextSlot} finds it empty. */
  private readonly filled: Uint32Array;

  /** @param maxWeight the largest weight one step can add (the ring's size less one) */
  constructor(maxWeight: number) {
    let ring = 32;
    while (ring <= maxWeight) ring *= 2;
    this.mask = ring - 1;
    this.stacks = Array.from({ length: ring }, () => new Int32Array(16));
    this.counts = new Int32Array(ring);
    this.filled = new Uint32Array(ring >>> 5);
  }

  /** Queues `entry` at `distance` (between {@link current} and current + maxWeight). */
  push(entry: number, distance: number): void {
    const slot = distance & this.mask;
    const n = this.counts[slot]!;
    const stack = n === this.stacks[slot]!.length ? this.widen(slot) : this.stacks[slot]!;
    if (n === 0) this.mark(slot);
    stack[n] = entry;
    this.counts[slot] = n + 1;
  }

  /** Doubles a full bucket's stack, keeping its entries; returns the new one. */
  widen(slot: number): Int32Array {
    const stack = this.stacks[slot]!;
    const wider = new Int32Array(stack.length * 2);
    wider.set(stack);
    this.stacks[slot] = wider;
    return wider;
  }

  /** Marks a bucket that was empty as filled. */
  mark(slot: number): void {
    this.filled[slot >>> 5]! |= 1 << (slot & 31);
  }

  /**
   * The bucket of the least queued distance (setting {@link current}), going
   * round the ring from the current one; -1 when every bucket is empty.
   */
  nextSlot(): number {
    const { filled, counts } = this;
    const words = filled.length;
    const slot = this.current & this.mask;
    let w = slot >>> 5;
    let bits = filled[w]! & (~0 << (slot & 31));
    for (let seen = 0; seen <= words;) {
      if (bits === 0) {
        w = w + 1 === words ? 0 : w + 1;
        bits = filled[w]!;
        seen++;
        continue;
      }
      const found = (w << 5) + 31 - Math.clz32(bits & -bits);
      if (counts[found] !== 0) {
        this.current += (found - slot) & this.mask;
        return found;
      }
      // Emptied since it was marked: unmark it and look further.
      filled[w] = bits &= ~(1 << (found & 31));
    }
    return -1;
  }
}
