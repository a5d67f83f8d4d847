import type { FileHandle } from 'node:fs/promises';

/**
 * Reads a file forward from an offset a chunk at a time, and takes back what a step did not use, so that a stream
 * of many small parts (a gzip file of many members, as bgzip writes) is still read from disk once, in large reads.
 */
export class SequentialFileReader {
  /** Bytes read but not yet used, in file order. */
  private held: Buffer | undefined;

  constructor(
    private readonly handle: FileHandle,
    private position: number,
    private readonly end: number,
    private readonly chunkBytes = 1 << 20,
  ) {}

  /**
   * The next bytes: those given back, else up to a chunk from the file; empty at the file's end.
   * @throws the read's errno error.
   */
  async next(): Promise<Buffer> {
    const held = this.held;
    this.held = undefined;
    if (held) return held;
    if (this.position >= this.end) return Buffer.alloc(0);
    const bytes = Buffer.allocUnsafe(Math.min(this.chunkBytes, this.end - this.position));
    const { bytesRead } = await this.handle.read(bytes, 0, bytes.length, this.position);
    this.position += bytesRead;
    return bytes.subarray(0, bytesRead);
  }

  /** Puts unused bytes back, to come before anything else from {@link next}. */
  giveBack(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.held = this.held ? Buffer.concat([bytes, this.held]) : bytes;
  }

  /**
   * The next `count` bytes (fewer only at the file's end) without using them up.
   * @throws the read's errno error.
   */
  async peek(count: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let length = 0;
    while (length < count) {
      const more = await this.next();
      if (more.length === 0) break;
      parts.push(more);
      length += more.length;
    }
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.giveBack(bytes);
    return bytes.subarray(0, count);
  }

  /**
   * The next `count` bytes (fewer only at the file's end), used up.
   * @throws the read's errno error.
   */
  async take(count: number): Promise<Buffer> {
    const bytes = await this.peek(count);
    this.held = this.held && this.held.length > count ? this.held.subarray(count) : undefined;
    return bytes;
  }
}
