/** A hand-built stream in which every 8x8 block is flat: DC coefficients only, each AC part a lone EOB. */
export interface HandBuiltJpeg {
  /** The SOFn marker's second byte; 0 leaves the frame header out. */
  sof?: number;
  precision?: number;
  width?: number;
  height?: number;
  componentCount?: number;
  /** The quantized DC coefficient of each block, in block order. */
  dc?: number[];
  /** Every step of quantization table 0, sent as a 16-bit table. */
  quantizer?: number;
  restartInterval?: number;
  /** BITS of DC table 0; by default 16 codes of 5 bits, category c coded as c. */
  dcCounts?: number[];
  endMarker?: boolean;
}

const bitsOf = (value: number, length: number): number[] => Array.from({ length }, (_, i) => (value >> (length - 1 - i)) & 1);

/** Huffman-codes the DC differences (T.81 F.1.2.1), padding each restart interval with 1 bits and stuffing a 0 after each FF. */
function entropyCode(dc: number[], restartInterval: number): number[] {
  const bytes: number[] = [];
  let bits: number[] = [];
  const flush = (): void => {
    while (bits.length % 8 !== 0) bits.push(1);
    for (let i = 0; i < bits.length; i += 8) {
      const byte = parseInt(bits.slice(i, i + 8).join(''), 2);
      bytes.push(...(byte === 0xff ? [0xff, 0x00] : [byte]));
    }
    bits = [];
  };
  let predictor = 0;
  dc.forEach((value, index) => {
    if (restartInterval > 0 && index > 0 && index % restartInterval === 0) {
      flush();
      bytes.push(0xff, 0xd0 + ((index / restartInterval - 1) & 7));
      predictor = 0;
    }
    const difference = value - predictor;
    predictor = value;
    const size = difference === 0 ? 0 : Math.floor(Math.log2(Math.abs(difference))) + 1;
    // Category (5-bit code), magnitude (negative values as one's complement), EOB (code 0).
    bits.push(...bitsOf(size, 5), ...bitsOf(difference < 0 ? difference + (1 << size) - 1 : difference, size), 0);
  });
  flush();
  return bytes;
}

/**
 * Builds a single-scan Huffman-coded DCT JPEG (SOI, COM, DQT, SOF, two DHT, DRI, SOS, data, EOI)
 * whose fields can be set to anything, valid or not, for decodeJpegSequentialDct's tests.
 */
export function buildHandBuiltJpeg(options: HandBuiltJpeg = {}): Uint8Array {
  const { sof = 0xc1, precision = 12, width = 20, height = 13, componentCount = 1, quantizer = 2, restartInterval = 0, endMarker = true } = options;
  const dc = options.dc ?? [-8192, 8191, 617, -1, 0, 10000];
  const dcCounts = options.dcCounts ?? [0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const bytes = [0xff, 0xd8]; // SOI
  const segment = (marker: number, body: number[]): void => {
    bytes.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  };
  segment(0xfe, [...Buffer.from('hand-built')]); // COM, skipped
  segment(0xdb, [0x10, ...Array.from({ length: 64 }, () => [quantizer >> 8, quantizer & 0xff]).flat()]); // DQT: Pq 1 (16-bit), Tq 0
  const components = Array.from({ length: componentCount }, (_, i) => [i + 1, 0x11, 0]).flat(); // Ci, Hi/Vi 1x1, Tqi 0
  if (sof) segment(sof, [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, componentCount, ...components]);
  const symbolCount = dcCounts.reduce((sum, count) => sum + count, 0);
  segment(0xc4, [0x00, ...dcCounts, ...Array.from({ length: symbolCount }, (_, i) => i & 15)]); // DHT: DC table 0
  segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]); // DHT: AC table 0, EOB only, coded 0
  if (restartInterval) segment(0xdd, [restartInterval >> 8, restartInterval & 0xff]); // DRI
  segment(0xda, [1, 1, 0x00, 0, 63, 0]); // SOS: Ns 1, Cs 1, Td/Ta 0, Ss 0, Se 63, Ah/Al 0
  bytes.push(...entropyCode(dc, restartInterval));
  if (endMarker) bytes.push(0xff, 0xd9); // EOI
  return Uint8Array.from(bytes);
}
