/** EBML ids (with their length marker bits) of the elements walked into. */
const containers = new Set([
  0x18538067 /* Segment */, 0x1f43b675 /* Cluster */, 0xa0 /* BlockGroup */, 0x1654ae6b /* Tracks */, 0xae /* TrackEntry */, 0xe0 /* Video */,
]);
const frameIds = new Set([0xa3 /* SimpleBlock */, 0xa1 /* Block */]);
const pixelWidthId = 0xb0;
const pixelHeightId = 0xba;
const codecId = 0x86;

/** What a WebM file holds, as far as the tests check it. */
export interface WebmSummary {
  /** Video frames: SimpleBlocks and Blocks in its clusters. */
  frames: number;
  width: number;
  height: number;
  codec: string;
}

/**
 * Reads a WebM file's EBML structure: its video track's size and codec and
 * its frame count. Unknown sizes (live recordings) run to the end of their parent.
 * @throws Error when the bytes are not EBML.
 */
export function readWebmSummary(bytes: Uint8Array): WebmSummary {
  if (readId(bytes, 0)?.id !== 0x1a45dfa3) throw new Error('not an EBML (WebM) file');
  const summary: WebmSummary = { frames: 0, width: 0, height: 0, codec: '' };
  walk(bytes, 0, bytes.length, summary);
  return summary;
}

function walk(bytes: Uint8Array, start: number, end: number, summary: WebmSummary): void {
  let at = start;
  while (at < end) {
    const id = readId(bytes, at);
    if (!id) break;
    const size = readSize(bytes, at + id.length);
    if (!size) break;
    const body = at + id.length + size.length;
    const bodyEnd = size.value === null ? end : Math.min(end, body + size.value);
    if (containers.has(id.id)) walk(bytes, body, bodyEnd, summary);
    else if (frameIds.has(id.id)) summary.frames++;
    else if (id.id === pixelWidthId) summary.width = readUint(bytes, body, bodyEnd);
    else if (id.id === pixelHeightId) summary.height = readUint(bytes, body, bodyEnd);
    else if (id.id === codecId) summary.codec = String.fromCharCode(...bytes.subarray(body, bodyEnd));
    at = bodyEnd;
  }
}

function readUint(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let n = start; n < end; n++) value = value * 256 + bytes[n]!;
  return value;
}

function readId(bytes: Uint8Array, at: number): { id: number; length: number } | null {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 4 || at + length > bytes.length) return null;
  let id = 0;
  for (let n = 0; n < length; n++) id = id * 256 + bytes[at + n]!;
  return { id, length };
}

function readSize(bytes: Uint8Array, at: number): { value: number | null; length: number } | null {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 8 || at + length > bytes.length) return null;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let n = 1; n < length; n++) {
    value = value * 256 + bytes[at + n]!;
    if (bytes[at + n] !== 0xff) allOnes = false;
  }
  return { value: allOnes ? null : value, length };
}
