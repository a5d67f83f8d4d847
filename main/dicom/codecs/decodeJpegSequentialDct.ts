import { AxialError } from '../../errors/AxialError.js';
import { buildJpegHuffmanTable, type JpegHuffmanLookup } from './buildJpegHuffmanTable.js';
import { decodeJpegScan } from './decodeJpegScan.js';

/** A decoded single-component JPEG image: one sample per pixel, row by row. */
export interface JpegSequentialDctImage {
  /** Uint8Array for 8-bit precision, Uint16Array for 12-bit. */
  samples: Uint8Array | Uint16Array;
  width: number;
  height: number;
  /** Sample precision P in bits: 8 or 12. */
  precision: number;
}

interface JpegFrame {
  precision: number;
  width: number;
  height: number;
  componentId: number;
  quantizationTable: number;
}

/** Tables and settings collected from the marker segments met so far. */
interface DecoderState {
  quantization: (Uint16Array | undefined)[];
  dcTables: (JpegHuffmanLookup | undefined)[];
  acTables: (JpegHuffmanLookup | undefined)[];
  restartInterval: number;
  frame?: JpegFrame;
  image?: JpegSequentialDctImage;
}

/** Zig-zag index k to natural index (T.81 Figure A.6), for DQT tables, which are sent zig-zag. */
const ZIGZAG_TO_NATURAL = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** SOFn markers this decoder does not handle, and why (T.81 Table B.1; T.87 for SOF55). */
const UNSUPPORTED_FRAMES: Record<number, string> = {
  0xc2: 'progressive DCT (SOF2)',
  0xc3: 'lossless (SOF3)',
  0xc5: 'hierarchical sequential DCT (SOF5)',
  0xc6: 'hierarchical progressive DCT (SOF6)',
  0xc7: 'hierarchical lossless (SOF7)',
  0xc9: 'arithmetic-coded sequential DCT (SOF9)',
  0xca: 'arithmetic-coded progressive DCT (SOF10)',
  0xcb: 'arithmetic-coded lossless (SOF11)',
  0xcc: 'arithmetic coding (DAC)',
  0xcd: 'hierarchical arithmetic-coded sequential DCT (SOF13)',
  0xce: 'hierarchical arithmetic-coded progressive DCT (SOF14)',
  0xcf: 'hierarchical arithmetic-coded lossless (SOF15)',
  0xde: 'hierarchical JPEG (DHP)',
  0xdf: 'hierarchical JPEG (EXP)',
  0xf7: 'JPEG-LS (SOF55)',
};

/**
 * Decodes a single-component (grayscale) JPEG of the baseline (SOF0) or extended sequential
 * (SOF1) process, Huffman-coded, with 8- or 12-bit samples: what DICOM's JPEG Baseline (.50) and
 * JPEG Extended (.51) transfer syntaxes hold. The inverse DCT is libjpeg's integer ISLOW, the
 * default of libjpeg-turbo and DCMTK, so samples come out as theirs do.
 *
 * Every loop is bounded by the input's length, and a frame larger than the input could code
 * (each 8x8 block takes at least two bits) is refused before anything is allocated for it.
 *
 * @param file - names the file in error messages.
 * @throws AxialError DICOM_UNSUPPORTED_TRANSFER_SYNTAX for progressive, lossless, hierarchical,
 *   arithmetic-coded or JPEG-LS streams.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA for anything malformed: no SOI, a marker segment
 *   that runs past the data, a missing frame header, table or EOI, more than one component, a
 *   precision other than 8 or 12, an invalid Huffman table or code, or data that ends early.
 */
export function decodeJpegSequentialDct(bytes: Uint8Array, file: string): JpegSequentialDctImage {
  const corrupt = (message: string): AxialError => new AxialError('DICOM_CORRUPT_PIXEL_DATA', `JPEG: ${message}`, { file });
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw corrupt('the stream does not start with an SOI marker (FFD8)');
  const state: DecoderState = { quantization: [], dcTables: [], acTables: [], restartInterval: 0 };
  let position = 2;
  while (position < bytes.length) {
    if (bytes[position] !== 0xff) throw corrupt(`expected a marker at byte ${position}, found ${bytes[position]}`);
    const marker = bytes[position + 1];
    if (marker === undefined) break;
    if (marker === 0xff) {
      position++; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      if (!state.image)
        throw corrupt(state.frame ? 'the stream ends (EOI) before its scan (SOS)' : 'the stream has no frame header (SOF) before its end (EOI)');
      return state.image;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) throw corrupt(`unexpected marker FF${hex(marker)} at byte ${position}`);
    if (position + 4 > bytes.length) break;
    const length = ((bytes[position + 2] as number) << 8) | (bytes[position + 3] as number);
    const end = position + 2 + length;
    if (length < 2 || end > bytes.length) throw corrupt(`marker segment FF${hex(marker)} at byte ${position} has length ${length}, past the end of the data`);
    const segment = bytes.subarray(position + 4, end);
    position = end;
    if (marker === 0xda) {
      position = decodeScan(bytes, segment, end, state, file);
    } else {
      readMarkerSegment(marker, segment, state, file);
    }
  }
  throw corrupt(
    state.image ? 'the stream does not end with an EOI marker (FFD9): it is truncated' : 'the stream ends before its scan is complete: it is truncated',
  );
}

/** Reads one table, frame header or miscellaneous segment into `state`. */
function readMarkerSegment(marker: number, segment: Uint8Array, state: DecoderState, file: string): void {
  const unsupported = UNSUPPORTED_FRAMES[marker];
  if (unsupported !== undefined) {
    throw new AxialError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `the JPEG stream is ${unsupported}; only baseline and extended sequential DCT with Huffman coding (SOF0, SOF1) are decoded here`,
      { file },
    );
  }
  try {
    if (marker === 0xc0 || marker === 0xc1) {
      if (state.frame) throw new Error('the stream has a second frame header (SOF)');
      state.frame = readFrameHeader(segment);
    } else if (marker === 0xdb) {
      readQuantizationTables(segment, state.quantization);
    } else if (marker === 0xc4) {
      readHuffmanTables(segment, state);
    } else if (marker === 0xdd) {
      if (segment.length !== 2) throw new Error(`the DRI segment has ${segment.length} bytes of parameters, not 2`);
      state.restartInterval = ((segment[0] as number) << 8) | (segment[1] as number);
    } else if (!((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe || marker === 0xdc)) {
      // APPn, COM and DNL are skipped; anything else has no business in a sequential stream.
      throw new Error(`unknown or unexpected marker FF${hex(marker)}`);
    }
  } catch (error) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `JPEG: ${(error as Error).message}`, { file, cause: error });
  }
}

/** Reads the frame header (T.81 B.2.2) and refuses what this decoder cannot or need not decode. */
function readFrameHeader(segment: Uint8Array): JpegFrame {
  const precision = segment[0] ?? 0;
  const height = ((segment[1] ?? 0) << 8) | (segment[2] ?? 0);
  const width = ((segment[3] ?? 0) << 8) | (segment[4] ?? 0);
  const componentCount = segment[5] ?? 0;
  if (segment.length < 6 || segment.length !== 6 + 3 * componentCount)
    throw new Error(`the frame header (SOF) is ${segment.length + 2} bytes long for ${componentCount} component(s)`);
  if (componentCount !== 1) throw new Error(`the frame has ${componentCount} components; only single-component (grayscale) JPEG is decoded here`);
  if (precision !== 8 && precision !== 12) throw new Error(`the frame has ${precision}-bit samples; sequential DCT JPEG has 8 or 12`);
  // Height 0 would defer the height to a DNL marker, which libjpeg does not support either.
  if (width === 0 || height === 0) throw new Error(`the frame is ${width}x${height}`);
  const sampling = segment[7] as number;
  const quantizationTable = segment[8] as number;
  // A single component's sampling factors do not change how it is coded (T.81 A.2.2), so any
  // valid ones are accepted, as libjpeg accepts them.
  if (sampling >> 4 < 1 || sampling >> 4 > 4 || (sampling & 15) < 1 || (sampling & 15) > 4 || quantizationTable > 3) {
    throw new Error(`the frame's component has sampling factors ${sampling >> 4}x${sampling & 15} and quantization table ${quantizationTable}`);
  }
  return { precision, width, height, componentId: segment[6] as number, quantizationTable };
}

/** Reads the 8- or 16-bit quantization tables of a DQT segment (T.81 B.2.4.1), in natural order. */
function readQuantizationTables(segment: Uint8Array, tables: (Uint16Array | undefined)[]): void {
  let offset = 0;
  while (offset < segment.length) {
    const precisionAndId = segment[offset] as number;
    const wide = precisionAndId >> 4;
    const id = precisionAndId & 15;
    if (wide > 1 || id > 3) throw new Error(`the DQT segment defines table ${id} with precision code ${wide}`);
    const size = wide ? 128 : 64;
    if (offset + 1 + size > segment.length) throw new Error('the DQT segment ends inside a table');
    const table = new Uint16Array(64);
    for (let k = 0; k < 64; k++) {
      const at = offset + 1 + (wide ? 2 * k : k);
      table[ZIGZAG_TO_NATURAL[k] as number] = wide ? ((segment[at] as number) << 8) | (segment[at + 1] as number) : (segment[at] as number);
    }
    tables[id] = table;
    offset += 1 + size;
  }
}

/** Reads the Huffman tables of a DHT segment (T.81 B.2.4.2). */
function readHuffmanTables(segment: Uint8Array, state: DecoderState): void {
  let offset = 0;
  while (offset < segment.length) {
    const classAndId = segment[offset] as number;
    const tableClass = classAndId >> 4;
    const id = classAndId & 15;
    if (tableClass > 1 || id > 3) throw new Error(`the DHT segment defines table class ${tableClass}, id ${id}`);
    if (offset + 17 > segment.length) throw new Error('the DHT segment ends inside a table');
    const counts = segment.subarray(offset + 1, offset + 17);
    const symbolCount = counts.reduce((sum, count) => sum + count, 0);
    if (symbolCount > 256 || offset + 17 + symbolCount > segment.length)
      throw new Error(`the DHT segment's table ${tableClass === 0 ? 'DC' : 'AC'}${id} lists ${symbolCount} symbols, more than it holds`);
    const symbols = segment.subarray(offset + 17, offset + 17 + symbolCount);
    // DC symbols are bit counts of the difference: 15 at most for 12-bit samples (libjpeg checks the same).
    if (tableClass === 0 && symbols.some((symbol) => symbol > 15)) throw new Error(`the DC Huffman table ${id} has a symbol above 15`);
    (tableClass === 0 ? state.dcTables : state.acTables)[id] = buildJpegHuffmanTable(counts, symbols);
    offset += 17 + symbolCount;
  }
}

/**
 * Checks a scan header (T.81 B.2.3) against the frame and the tables, decodes the scan, and
 * returns the position of the marker after it.
 */
function decodeScan(bytes: Uint8Array, header: Uint8Array, start: number, state: DecoderState, file: string): number {
  const corrupt = (message: string): AxialError => new AxialError('DICOM_CORRUPT_PIXEL_DATA', `JPEG: ${message}`, { file });
  const { frame } = state;
  if (!frame) throw corrupt('the scan (SOS) comes before any frame header (SOF)');
  if (state.image) throw corrupt('the stream has a second scan; a single-component sequential frame has one');
  const componentCount = header[0] ?? 0;
  if (componentCount !== 1 || header.length !== 6)
    throw corrupt(`the scan header (SOS) is ${header.length + 2} bytes long for ${componentCount} component(s); expected one component`);
  if (header[1] !== frame.componentId) throw corrupt(`the scan names component ${header[1]}, but the frame's component is ${frame.componentId}`);
  const dcId = (header[2] as number) >> 4;
  const acId = (header[2] as number) & 15;
  const dcTable = state.dcTables[dcId];
  const acTable = state.acTables[acId];
  const quantization = state.quantization[frame.quantizationTable];
  if (!dcTable || !acTable) throw corrupt(`the scan uses Huffman tables DC${dcId} and AC${acId}, but ${dcTable ? `AC${acId}` : `DC${dcId}`} is not defined`);
  if (!quantization) throw corrupt(`the frame uses quantization table ${frame.quantizationTable}, which is not defined`);
  // Ss, Se, Ah and Al (header[3..5]) mean nothing to a sequential scan; libjpeg ignores them too.

  const { width, height, precision } = frame;
  const blockCount = Math.ceil(width / 8) * Math.ceil(height / 8);
  if (blockCount > 4 * (bytes.length - start)) {
    throw corrupt(
      `a ${width}x${height} frame needs ${blockCount} blocks of at least two bits each, ` +
        `more than the ${bytes.length - start} bytes after the scan header hold: the stream is truncated or its frame header is wrong`,
    );
  }
  let samples: Uint8Array | Uint16Array;
  try {
    samples = precision === 8 ? new Uint8Array(width * height) : new Uint16Array(width * height);
  } catch (error) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `JPEG: a ${width}x${height} frame is too large to hold in memory`, { file, cause: error });
  }
  const next = decodeJpegScan({
    bytes,
    start,
    width,
    height,
    precision,
    dcTable,
    acTable,
    quantization,
    restartInterval: state.restartInterval,
    samples,
    file,
  });
  state.image = { samples, width, height, precision };
  return next;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
