/**
 * A growable list of unsigned 32-bit integers (voxel numbers, flood-fill
 * stacks): amortised O(1) push into a doubling typed array, no per-item
 * objects.
 */
export class UintList {
  private data: Uint32Array;
  private size = 0;

  constructor(capacity = 1024) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = value;
  }

  /** Removes and returns the last item; undefined when empty. */
  pop(): number | undefined {
    return this.size === 0 ? undefined : this.data[--this.size];
  }

  at(index: number): number {
    return this.data[index]!;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  clear(): void {
    this.size = 0;
  }

  /** A copy of the items, sized to fit. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.size);
  }
}
