import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectYoungGeneration } from '../../../main/decode/collectYoungGeneration.js';

const MiB = 2 ** 20;

describe('collectYoungGeneration', () => {
  it('frees dead frame buffers at once, which V8 would otherwise leave piled up', async () => {
    const collect = await collectYoungGeneration();
    collect();
    const before = process.memoryUsage().arrayBuffers;
    // 48 dead 512 KiB frames, as a decode worker leaves them: nothing runs V8's collector meanwhile.
    for (let i = 0; i < 48; i++) new Uint8Array(MiB / 2).fill(i);
    const piled = process.memoryUsage().arrayBuffers - before;
    collect();
    const left = process.memoryUsage().arrayBuffers - before;
    expect(piled).toBeGreaterThanOrEqual(20 * MiB);
    expect(left).toBeLessThan(MiB);
  });

  it('exposes gc to no other context', async () => {
    await collectYoungGeneration();
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });
});
