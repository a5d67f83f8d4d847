import { describe, expect, it } from 'vitest';
import { releaseOwnBuffer } from '../../../main/io/releaseOwnBuffer.js';

describe('releaseOwnBuffer', () => {
  it('lets go of a buffer that is all the view’s own, and of no other', () => {
    const own = new Int16Array(1000);
    expect(releaseOwnBuffer(own)).toBe(true);
    expect(own.byteLength).toBe(0);
    // A slice of a larger buffer (a message read with the next one's bytes behind it) stays, and so does the rest.
    const message = new Uint8Array(4096);
    const voxels = new Int16Array(message.buffer, 0, 1000);
    const tail = message.subarray(2000);
    expect(releaseOwnBuffer(voxels)).toBe(false);
    expect(releaseOwnBuffer(tail)).toBe(false);
    expect(voxels.length + tail.length).toBe(1000 + 2096);
    // Shared memory cannot go, and one already gone is not let go of twice.
    expect(releaseOwnBuffer(new Float32Array(new SharedArrayBuffer(64)))).toBe(false);
    expect(releaseOwnBuffer(own)).toBe(false);
  });
});
