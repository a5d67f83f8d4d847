/**
 * A Huffman table as a lookup on the next 16 bits of the stream: entry = (code length << 8) |
 * symbol, or 0 where no code of the table starts with those bits.
 */
export type JpegHuffmanLookup = Uint16Array;

/**
 * Builds the canonical codes of a DHT table (ITU-T T.81 Annex C: codes of each length are
 * consecutive, and one longer than the last code of the previous length, shifted) and spreads
 * each over every 16-bit value it is a prefix of.
 *
 * @param counts - BITS: how many codes have each length from 1 to 16.
 * @param symbols - HUFFVAL: the symbols, in order of increasing code length.
 * @throws Error when the counts overfill the code space of some length (libjpeg's
 *   JERR_BAD_HUFF_TABLE) or do not match the number of symbols.
 */
export function buildJpegHuffmanTable(counts: ArrayLike<number>, symbols: ArrayLike<number>): JpegHuffmanLookup {
  const lookup = new Uint16Array(1 << 16);
  let code = 0;
  let next = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1] ?? 0;
    if (next + count > symbols.length)
      throw new Error(`the Huffman table counts ${next + count} codes up to length ${length} but lists ${symbols.length} symbols`);
    for (let i = 0; i < count; i++) {
      // libjpeg allows the all-ones code that T.81 reserves, so it is allowed here too.
      if (code >= 1 << length) throw new Error(`the Huffman table has more codes of length ${length} or less than ${length}-bit codes can hold`);
      const entry = (length << 8) | (symbols[next] as number);
      const shift = 16 - length;
      lookup.fill(entry, code << shift, (code + 1) << shift);
      code++;
      next++;
    }
    code <<= 1;
  }
  if (next !== symbols.length) throw new Error(`the Huffman table lists ${symbols.length} symbols for ${next} codes`);
  return lookup;
}
