/**
 * A monotone bucket queue (Dial's algorithm) for integer distances: a ring of
 * buckets one per distance, as many as the largest edge weight + 1, so every
 * queued distance (between the current one and current + largest weight)
 * has a bucket of its own. Entries live in one pooled singly linked list on
 * typed arrays (no object per voxel); a bitmap of non-empty buckets finds
 * the next distance without walking empty ones. Stale entries (a voxel
 * queued again at a smaller distance) are left in place and skipped by the
 * caller, which checks the voxel's distance against {@link current}.
 */
export class GrowFromSeedsQueue {
  /** The distance of the entry last popped. */
  current = 0;
  private readonly head: Int32Array;
  private readonly filled: Uint32Array;
  private readonly mask: number;
  private voxel: Int32Array;
  private next: Int32Array;
  private free = -1;
  private top = 0;
  private size = 0;

  /** @param maxWeight the largest weight one step can add (the ring's size less one) */
  constructor(maxWeight: number, initialCapacity = 1 << 16) {
    let ring = 32;
    while (ring <= maxWeight) ring *= 2;
    this.mask = ring - 1;
    this.head = new Int32Array(ring).fill(-1);
    this.filled = new Uint32Array(ring >>> 5);
    this.voxel = new Int32Array(initialCapacity);
    this.next = new Int32Array(initialCapacity);
  }

  /** Queues `voxel` at `distance` (between {@link current} and current + maxWeight). */
  push(voxel: number, distance: number): void {
    let e = this.free;
    if (e >= 0) this.free = this.next[e]!;
    else {
      if (this.top === this.voxel.length) this.grow();
      e = this.top++;
    }
    const slot = distance & this.mask;
    const first = this.head[slot]!;
    if (first < 0) this.filled[slot >>> 5]! |= 1 << (slot & 31);
    this.voxel[e] = voxel;
    this.next[e] = first;
    this.head[slot] = e;
    this.size++;
  }

  /** Takes one entry of the least distance (setting {@link current}); -1 when the queue is empty. */
  pop(): number {
    if (this.size === 0) return -1;
    let slot = this.current & this.mask;
    if (this.head[slot]! < 0) {
      const found = this.nextFilled(slot);
      this.current += (found - slot) & this.mask;
      slot = found;
    }
    const e = this.head[slot]!;
    const after = this.next[e]!;
    this.head[slot] = after;
    if (after < 0) this.filled[slot >>> 5]! &= ~(1 << (slot & 31));
    this.next[e] = this.free;
    this.free = e;
    this.size--;
    return this.voxel[e]!;
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

  private grow(): void {
    const voxel = new Int32Array(this.voxel.length * 2);
    const next = new Int32Array(this.next.length * 2);
    voxel.set(this.voxel);
    next.set(this.next);
    this.voxel = voxel;
    this.next = next;
  }
}
