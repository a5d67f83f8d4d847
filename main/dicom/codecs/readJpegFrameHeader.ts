/** The start-of-frame (SOFn) segment of a JPEG stream (ITU-T T.81 B.2.2). */
export interface JpegFrameHeader {
  /** The SOF marker's second byte: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, 0xF7 JPEG-LS, ... */
  sofMarker: number;
  /** Sample precision P in bits: 8 or 12 for DCT processes, 2 to 16 for lossless. */
  precision: number;
  rows: number;
  columns: number;
  componentCount: number;
}

/**
 * SOF0-3, 5-7, 9-11, 13-15 (T.81 Table B.1; 0xC4 DHT, 0xC8 JPG and 0xCC DAC are not frames) and
 * JPEG-LS's SOF55 (T.87 C.2.2), whose frame header has the same layout.
 */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]);
/** Markers that stand alone, without a length: TEM, RST0-7, SOI. */
const STANDALONE_MARKERS = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]);

/**
 * Walks the marker segments of a JPEG or JPEG-LS stream up to its frame header. Decoders are told the frame
 * size only after they allocate for it; reading it first lets a caller refuse a 12-bit frame or
 * a size that does not match the DICOM header before handing the stream over.
 *
 * @throws Error when the stream does not start with SOI or ends before a SOF segment.
 */
export function readJpegFrameHeader(bytes: Uint8Array): JpegFrameHeader {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('the JPEG stream does not start with an SOI marker (FFD8)');
  let position = 2;
  while (position + 4 <= bytes.length) {
    if (bytes[position] !== 0xff) throw new Error(`expected a JPEG marker at byte ${position}`);
    const marker = bytes[position + 1] as number;
    if (marker === 0xff) {
      position += 1; // fill byte before a marker
      continue;
    }
    if (STANDALONE_MARKERS.has(marker)) {
      position += 2;
      continue;
    }
    const segmentLength = readUint16(bytes, position + 2);
    if (SOF_MARKERS.has(marker)) {
      if (position + 10 > bytes.length) break;
      return {
        sofMarker: marker,
        precision: bytes[position + 4] as number,
        rows: readUint16(bytes, position + 5),
        columns: readUint16(bytes, position + 7),
        componentCount: bytes[position + 9] as number,
      };
    }
    if (segmentLength < 2) throw new Error(`JPEG marker segment FF${marker.toString(16).toUpperCase()} has length ${segmentLength}`);
    position += 2 + segmentLength;
  }
  throw new Error('the JPEG stream ends before its frame header (SOF marker)');
}

function readUint16(bytes: Uint8Array, position: number): number {
  return ((bytes[position] as number) << 8) | (bytes[position + 1] as number);
}
