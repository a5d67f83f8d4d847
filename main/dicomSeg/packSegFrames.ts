import type { Vec3 } from '../../core/geometry/types.js';
import { AxialError } from '../errors/AxialError.js';
import type { SegLayers } from './SegSegment.js';

/** One frame of a BINARY SEG: one segment on one slice. */
export interface SegFrame {
  /** 1-based, the segment's position in `seg.segments` plus one. */
  readonly segmentNumber: number;
  /** The volume slice (0-based) the frame lies on. */
  readonly k: number;
}

export interface PackedSegFrames {
  /** Ordered by segment, then by slice. */
  readonly frames: readonly SegFrame[];
  /** The frames' pixels, one bit each, least significant bit first, packed across frame boundaries; even length. */
  readonly pixelData: Uint8Array;
}

/**
 * The most bytes of a SEG file Axial writes: the most readDicomSeg reads back (Node's readFile takes up to 2 GiB − 1
 * bytes), under the 0xFFFFFFFE a native PixelData's uint32 length allows (PS3.5 7.1.1).
 */
export const maxSegFileBytes = 2 ** 31 - 1;

/** The bytes of the PixelData element's own header (tag, VR, reserved, length), before the frames. */
const pixelDataHeaderBytes = 12;

/**
 * Chooses the frames of a BINARY SEG (one per segment and slice holding at
 * least one of its voxels, and no others) and packs their pixels. A frame's
 * pixels are its slice's voxels in memory order (i fastest), which is DICOM's
 * row-major order when i runs along the rows.
 * @param file - the output, named in the error.
 * @throws AxialError SEG_UNSUPPORTED, before the pixels are allocated, when they would make a file past
 *   {@link maxSegFileBytes}.
 */
export function packSegFrames(seg: SegLayers, dimensions: Vec3, file?: string): PackedSegFrames {
  const [ni, nj, nk] = dimensions;
  const sliceLength = ni * nj;
  const segmentOf = seg.layers.map((_, layer) => segmentsOfLayer(seg, layer));
  const hits = new Uint8Array(seg.segments.length * nk);
  forEachLabelled(seg, segmentOf, nk, sliceLength, (s, k) => {
    hits[s * nk + k] = 1;
  });
  const frames: SegFrame[] = [];
  const frameAt = new Int32Array(hits.length).fill(-1);
  seg.segments.forEach((_, s) => {
    for (let k = 0; k < nk; k++) {
      if (hits[s * nk + k]) frameAt[s * nk + k] = frames.push({ segmentNumber: s + 1, k }) - 1;
    }
  });
  const bytes = Math.ceil((frames.length * sliceLength) / 8);
  if (bytes + (bytes % 2) + pixelDataHeaderBytes > maxSegFileBytes) {
    throw new AxialError(
      'SEG_UNSUPPORTED',
      `${frames.length} frames of ${ni}×${nj} pixels need ${bytes} bytes of PixelData, and Axial reads back a SEG file of at most ` +
        `${maxSegFileBytes} bytes (2 GiB); export fewer segments, or the segments in several files`,
      file === undefined ? {} : { file },
    );
  }
  const pixelData = new Uint8Array(bytes + (bytes % 2));
  forEachLabelled(seg, segmentOf, nk, sliceLength, (s, k, p) => {
    // Frames are packed end to end, so a bit's offset in the whole PixelData passes 2^32 on a large SEG (512 MiB):
    // it is a double (exact to 2^53), split into the frame's first byte and the bit from there (under 2^32).
    const frameBit = frameAt[s * nk + k]! * sliceLength;
    const bit = (frameBit % 8) + p;
    pixelData[Math.floor(frameBit / 8) + (bit >>> 3)]! |= 1 << (bit & 7);
  });
  return { frames, pixelData };
}

/** Label value → index in `seg.segments` of the segment it marks in this layer, or −1. */
function segmentsOfLayer(seg: SegLayers, layer: number): Int32Array {
  const segmentOf = new Int32Array(65536).fill(-1);
  seg.segments.forEach((segment, s) => {
    if (segment.layer === layer) segmentOf[segment.value] = s;
  });
  return segmentOf;
}

/** Calls `visit(segment, k, pixel in slice)` for every voxel of every segment, one pass over each layer. */
function forEachLabelled(
  seg: SegLayers,
  segmentOf: readonly Int32Array[],
  nk: number,
  sliceLength: number,
  visit: (s: number, k: number, p: number) => void,
): void {
  seg.layers.forEach((labels, layer) => {
    const lookup = segmentOf[layer]!;
    for (let k = 0; k < nk; k++) {
      const base = k * sliceLength;
      for (let p = 0; p < sliceLength; p++) {
        const v = labels[base + p]!;
        if (v !== 0 && lookup[v]! >= 0) visit(lookup[v]!, k, p);
      }
    }
  });
}
