import type { JpegHuffmanLookup } from './buildJpegHuffmanTable.js';

/**
 * Reads the entropy-coded segments of a JPEG scan bit by bit (ITU-T T.81 F.2.2.5), dropping the
 * zero byte stuffed after each FF data byte. At a marker or at the end of the input it feeds
 * zero bits, as libjpeg does, so that a 16-bit look-ahead can run past the last code; `overrun`
 * tells whether any of those made-up bits were actually used.
 */
export class JpegBitReader {
  /** Where the next byte is read; at a marker, it stays on the marker's FF. */
  position: number;
  private buffer = 0;
  private bitCount = 0;
  /** Zero bytes fed in at the end of the segment that are still (partly) in the buffer. */
  private paddingBytes = 0;
  private atMarker = false;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.position = start;
  }

  /** True once the decoder has used bits beyond the end of the entropy-coded segment. */
  get overrun(): boolean {
    return this.bitCount < this.paddingBytes * 8;
  }

  /** Decodes one Huffman-coded symbol, or returns -1 for bits that start no code of the table. */
  decodeSymbol(table: JpegHuffmanLookup): number {
    if (this.bitCount < 16) this.fill();
    const entry = table[(this.buffer >>> (this.bitCount - 16)) & 0xffff] as number;
    if (entry === 0) return -1;
    this.bitCount -= entry >> 8;
    return entry & 0xff;
  }

  /** Reads `size` (0 to 16) bits as a signed value (T.81 F.2.2.1 RECEIVE and EXTEND). */
  receiveExtend(size: number): number {
    if (size === 0) return 0;
    if (this.bitCount < size) this.fill();
    this.bitCount -= size;
    const value = (this.buffer >>> this.bitCount) & ((1 << size) - 1);
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  }

  /**
   * Leaves the current entropy-coded segment: drops the bits left in the buffer (padding, if the
   * encoder got it right) and moves to the marker that ends the segment, skipping any stray
   * bytes before it as libjpeg does. Returns the marker's second byte, or -1 at the end of the input.
   */
  leaveSegment(): number {
    this.buffer = 0;
    this.bitCount = 0;
    this.paddingBytes = 0;
    this.atMarker = false;
    const { bytes } = this;
    for (; this.position + 1 < bytes.length; this.position++) {
      const next = bytes[this.position + 1] as number;
      if (bytes[this.position] === 0xff && next !== 0x00 && next !== 0xff) return next;
    }
    this.position = bytes.length;
    return -1;
  }

  /** Tops the buffer up to at least 25 bits (hence at most 32: JavaScript's bitwise width). */
  private fill(): void {
    const { bytes } = this;
    while (this.bitCount <= 24) {
      let byte = 0;
      if (this.atMarker || this.position >= bytes.length) {
        this.paddingBytes++;
      } else {
        byte = bytes[this.position] as number;
        if (byte !== 0xff) {
          this.position++;
        } else {
          // FF FF ... FF 00 is one FF data byte (extra FFs are fill); FF then anything else is a marker.
          let after = this.position + 1;
          while (after < bytes.length && bytes[after] === 0xff) after++;
          if (after < bytes.length && bytes[after] === 0x00) {
            this.position = after + 1;
          } else {
            this.atMarker = true;
            this.paddingBytes++;
            byte = 0;
          }
        }
      }
      this.buffer = (this.buffer << 8) | byte;
      this.bitCount += 8;
    }
  }
}
