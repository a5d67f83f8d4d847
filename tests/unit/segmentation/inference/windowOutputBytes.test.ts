import { describe, expect, it } from 'vitest';
import { windowOutputBytes } from '../../../../main/segmentation/inference/windowOutputBytes.js';

const spec = (roiSize: [number, number, number], swBatchSize: number, channels: number) => ({ inferer: { roiSize, swBatchSize }, output: { channels } });

describe('windowOutputBytes', () => {
  it("is one call's output: its windows, every channel, float32", () => {
    // The spleen bundle: 96³ windows of 2 classes, 4 a batch (3 × 884 736 values each, well under 2^26).
    expect(windowOutputBytes(spec([96, 96, 96], 4, 2))).toBe(4 * 2 * 96 ** 3 * 4);
    // 105 classes: one 96³ window is already past 2^26 values with its input, so the batch is one window.
    expect(windowOutputBytes(spec([96, 96, 96], 4, 105))).toBe(105 * 96 ** 3 * 4);
    // A huge sw_batch_size is capped at 2^26 values of input and output: 64 windows of 32³ and 31 channels.
    expect(windowOutputBytes(spec([32, 32, 32], 1000, 31))).toBe(64 * 32 ** 3 * 31 * 4);
  });

  it('is unknown for a window that is the whole image', () => {
    expect(windowOutputBytes(spec([96, 96, -1], 1, 2))).toBeUndefined();
    expect(windowOutputBytes(spec([0, 96, 96], 1, 2))).toBeUndefined();
  });
});
