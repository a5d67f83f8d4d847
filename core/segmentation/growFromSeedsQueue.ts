/**
 * A monotone bucket queue (Dial's algorithm) for integer distances: a ring of
 * buckets one per distance, as many as the largest edge weight + 1, so every
 * queued distance (between the current one and current + largest weight)
 * has a bucket of its own. Each bucket is a stack on its own growable
 * Int32Array (no object per voxel; a pooled linked list measured about twice
 * as slow); a bitmap of non-empty buckets finds the next distance without
 * walking empty ones. Stale entries (a voxel queued again at a smaller
 * distance) are left in place and skipped by the caller, which checks the
 * voxel's distance against {@link current}.
 */
export class GrowFromSeedsQueue {
  /** The distance of the entry last popped. */
  current = 0;
  private readonly items: Int32Array[];
  private readonly count: Int32Array;
  private readonly filled: Uint32Array;
  private readonly mask: number;
  private size = 0;

  /** @param maxWeight the largest weight one step can add (the ring's size less one) */
  constructor(maxWeight: number) {
    let ring = 32;
    while (ring <= maxWeight) ring *= 2;
    this.mask = ring - 1;
    this.items = Array.from({ length: ring }, () => new Int32Array(16));
    this.count = new Int32Array(ring);
    this.filled = new Uint32Array(ring >>> 5);
  }

  /** Queues `voxel` at `distance` (between {@link current} and current + maxWeight). */
  push(voxel: number, distance: number): void {
    const slot = distance & this.mask;
    let stack = this.items[slot]!;
    const n = this.count[slot]!;
    if (n === stack.length) {
      const wider = new Int32Array(n * 2);
      wider.set(stack);
      this.items[slot] = stack = wider;
    }
    if (n === 0) this.filled[slot >>> 5]! |= 1 << (slot & 31);
    stack[n] = voxel;
    this.count[slot] = n + 1;
    this.size++;
  }

  /** Takes one entry of the least distance (setting {@link current}); -1 when the queue is empty. */
  pop(): number {
    if (this.size === 0) return -1;
    let slot = this.current & this.mask;
    if (this.count[slot] === 0) {
      const found = this.nextFilled(slot);
      this.current += (found - slot) & this.mask;
      slot = found;
    }
    const n = this.count[slot]! - 1;
    this.count[slot] = n;
    if (n === 0) this.filled[slot >>> 5]! &= ~(1 << (slot & 31));
    this.size--;
    return this.items[slot]![n]!;
  }

  /** The first non-empty bucket after `slot`, going round the ring (one exists: size > 0). */
  private nextFilled(slot: number): number {
    const words = this.filled.length;
    let w = slot >>> 5;
    let bits = this.filled[w]! & (~0 << (slot & 31));
    for (let n = 0; bits === 0 && n <= words; n++) {
      w = w + 1 === words ? 0 : w + 1;
      bits = this.filled[w]!;
    }
    return (w << 5) + 31 - Math.clz32(bits & -bits);
  }
}
