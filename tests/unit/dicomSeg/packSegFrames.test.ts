import { describe, expect, it } from 'vitest';
import { maxSegFileBytes, packSegFrames } from '../../../main/dicomSeg/packSegFrames.js';
import type { SegSegment } from '../../../main/dicomSeg/SegSegment.js';
import { thrownAxialError } from '../../expectAxialError.js';

/** `count` segments on layer 0, segment n (1-based) marking label value n. */
function segmentsUpTo(count: number): SegSegment[] {
  return Array.from({ length: count }, (_, n) => ({
    layer: 0,
    value: n + 1,
    label: `s${n + 1}`,
    algorithmType: 'MANUAL' as const,
    category: { value: '85756007', scheme: 'SCT', meaning: 'Tissue' },
    type: { value: '85756007', scheme: 'SCT', meaning: 'Tissue' },
    colour: [255, 0, 0] as const,
  }));
}

/** One slice on which label n sits at pixel n − 1: one frame per label, each with one bit, at its own pixel. */
function diagonal(sliceLength: number, count: number): Uint16Array {
  const labels = new Uint16Array(sliceLength);
  for (let v = 1; v <= count; v++) labels[v - 1] = v;
  return labels;
}

/** How many bits are set, a 32-bit word at a time (most of a large SEG is zero). */
function countBits(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  let count = 0;
  for (let w = 0; w < words.length; w++) {
    for (let x = words[w]!; x !== 0; x &= x - 1) count++;
  }
  for (let b = words.length * 4; b < bytes.length; b++) {
    for (let x = bytes[b]!; x !== 0; x &= x - 1) count++;
  }
  return count;
}

describe('packSegFrames', () => {
  it('packs frames across byte boundaries, least significant bit first, ordered by segment then slice', () => {
    // 3×3 slices, 2 of them; segment 1 on both, segment 2 on slice 1 only.
    const labels = new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1]);
    const { frames, pixelData } = packSegFrames({ layers: [labels], segments: segmentsUpTo(2) }, [3, 3, 2]);
    expect(frames).toEqual([
      { segmentNumber: 1, k: 0 },
      { segmentNumber: 1, k: 1 },
      { segmentNumber: 2, k: 1 },
    ]);
    // Bits 0 and 4 (frame 0), 9 + 8 = 17 (frame 1), 18 + 1 = 19 (frame 2): 27 bits in 4 bytes (even length).
    expect([...pixelData]).toEqual([0b0001_0001, 0, 0b0000_1010, 0]);
  });

  it('puts every bit in its own frame when the frames pass 2^32 bits (512 MiB of PixelData)', () => {
    // 65535 frames of 257×256 pixels: 4,311,568,720 bits. Frame f holds one bit, at pixel f.
    const [ni, nj] = [257, 256];
    const sliceLength = ni * nj;
    const count = 65535;
    const { frames, pixelData } = packSegFrames({ layers: [diagonal(sliceLength, count)], segments: segmentsUpTo(count) }, [ni, nj, 1]);
    expect(frames).toHaveLength(count);
    expect(frames.length * sliceLength).toBeGreaterThan(2 ** 32);
    expect(pixelData.length).toBe(Math.ceil((count * sliceLength) / 8));
    const missing: number[] = [];
    for (let f = 0; f < count; f++) {
      const bit = f * sliceLength + f;
      if (((pixelData[Math.floor(bit / 8)]! >> (bit % 8)) & 1) !== 1) missing.push(f);
    }
    expect(missing).toEqual([]);
    expect(countBits(pixelData)).toBe(count);
  });

  it('refuses, before allocating, a SEG whose PixelData would pass the 2 GiB file Axial reads back, though under 4 GiB', () => {
    // 16384 frames of 1024×1024 pixels need 2^31 bytes: within a native PixelData's uint32, past what readDicomSeg
    // reads (Node's readFile, 2 GiB − 1). Only the one slice of labels (2 MiB) is allocated.
    const [ni, nj] = [1024, 1024];
    for (const count of [16384, 65535]) {
      const seg = { layers: [diagonal(ni * nj, count)], segments: segmentsUpTo(count) };
      const error = thrownAxialError(() => packSegFrames(seg, [ni, nj, 1], '/out/whole-body.seg.dcm'));
      expect(error.code).toBe('SEG_UNSUPPORTED');
      expect(error.file).toBe('/out/whole-body.seg.dcm');
      expect(error.message).toBe(
        `/out/whole-body.seg.dcm: ${count} frames of 1024×1024 pixels need ${count * 131072} bytes of PixelData, ` +
          `and Axial reads back a SEG file of at most ${maxSegFileBytes} bytes (2 GiB); export fewer segments, or the segments in several files`,
      );
    }
  });
});
