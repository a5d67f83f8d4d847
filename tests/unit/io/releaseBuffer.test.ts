import { setTimeout as wait } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { releaseBuffer } from '../../../main/io/releaseBuffer.js';

const MiB = 2 ** 20;

describe('releaseBuffer', () => {
  it('lets dead frame buffers go on the next turn, where V8 would leave them piled up', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const kept: ArrayBuffer[] = [];
    for (let i = 0; i < 48; i++) {
      // 48 frames of 512 KiB, as a decoder hands them out: half released, half only dropped.
      const frame = new Uint8ClampedArray(MiB / 2).fill(i);
      if (i % 2 === 0) releaseBuffer(frame.buffer);
      else kept.push(frame.buffer);
      expect(frame.byteLength).toBe(i % 2 === 0 ? 0 : MiB / 2);
    }
    await wait(20);
    const left = process.memoryUsage().arrayBuffers - before;
    // the 24 kept frames (12 MiB) are all that remain; without the release there would be 24 MiB
    expect(left).toBeGreaterThanOrEqual(12 * MiB);
    expect(left).toBeLessThan(13 * MiB);
    expect(kept).toHaveLength(24);
  });
});
