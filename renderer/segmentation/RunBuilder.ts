import { UintList } from './UintList.js';

/**
 * Builds run triples (first voxel, voxel count, value) from voxels pushed
 * in ascending order: a voxel right after the last one, with the same
 * value, lengthens the last run.
 */
export class RunBuilder {
  private readonly triples = new UintList(48);
  private next = -1;
  private value = -1;

  push(voxel: number, value: number): void {
    const t = this.triples;
    if (voxel === this.next && value === this.value) {
      const k = t.length - 2;
      t.set(k, t.at(k) + 1);
    } else {
      t.push(voxel);
      t.push(1);
      t.push(value);
      this.value = value;
    }
    this.next = voxel + 1;
  }

  /** Adds a whole run (voxels ascending after any pushed before). */
  pushRun(start: number, count: number, value: number): void {
    if (count <= 0) return;
    const t = this.triples;
    if (start === this.next && value === this.value) {
      const k = t.length - 2;
      t.set(k, t.at(k) + count);
    } else {
      t.push(start);
      t.push(count);
      t.push(value);
      this.value = value;
    }
    this.next = start + count;
  }

  get isEmpty(): boolean {
    return this.triples.length === 0;
  }

  /** The triples, sized to fit. */
  toRuns(): Uint32Array {
    return this.triples.toArray();
  }
}
