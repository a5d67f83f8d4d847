import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { channelWindows } from '../../../../main/segmentation/channels/channelWindows.js';
import { slidingWindowInference, type RunBatch } from '../../../../main/segmentation/inference/slidingWindowInference.js';
import { monaiSlidingWindowDefaults, type SlidingWindowSpec } from '../../../../main/segmentation/ModelSpec.js';

const dimensions: Vec3 = [7, 5, 6];
const size = dimensions[0] * dimensions[1] * dimensions[2];
/** Three channels of distinct values (k fastest, as the window reads them). */
const channels = [0, 1, 2].map((c) => Float32Array.from({ length: size }, (_, n) => 1000 * (c + 1) + n + 0.25));

/** Every patch the window hands the network, copied, for a single-channel image. */
async function patchesOf(
  data: Float32Array,
  spec: SlidingWindowSpec,
  wrap?: (run: RunBatch) => { data: Float32Array; runBatch: RunBatch },
): Promise<Float32Array[]> {
  const seen: Float32Array[] = [];
  const network: RunBatch = (input, count, roi) => {
    seen.push(input.slice());
    return Promise.resolve(new Float32Array(count * roi[0] * roi[1] * roi[2]));
  };
  const fed = wrap ? wrap(network) : { data, runBatch: network };
  await slidingWindowInference({
    dimensions,
    data: fed.data,
    layout: 'k-fastest',
    spec,
    channels: 1,
    activation: 'none',
    runBatch: fed.runBatch,
    onPlane: () => undefined,
  });
  return seen;
}

describe('channelWindows', () => {
  // A ROI larger than the image on i and k, so every patch has padding; overlap so that windows repeat on j.
  const base: SlidingWindowSpec = { ...monaiSlidingWindowDefaults, roiSize: [9, 4, 8], overlap: 0.5, swBatchSize: 2 };
  for (const [paddingMode, cval] of [
    ['constant', -3],
    ['replicate', 0],
    ['reflect', 0],
  ] as const) {
    it(`gives each channel the patch the window cuts from it alone (${paddingMode} padding)`, async () => {
      const spec = { ...base, paddingMode, cval };
      const alone = await Promise.all(channels.map((c) => patchesOf(c, spec)));
      // Through channelWindows: windows of voxel numbers (cval 0), gathered into [count, 3, roi].
      const gathered = await patchesOf(channels[0]!, { ...spec, cval: 0 }, (run) => channelWindows(channels, cval, run));
      expect(gathered).toHaveLength(alone[0]!.length);
      const patch = 9 * 4 * 8;
      gathered.forEach((batch, b) => {
        const count = alone[0]![b]!.length / patch;
        expect(batch.length).toBe(count * 3 * patch);
        for (let n = 0; n < count; n++) {
          for (let c = 0; c < 3; c++) {
            expect(batch.subarray((n * 3 + c) * patch, (n * 3 + c + 1) * patch)).toEqual(alone[c]![b]!.subarray(n * patch, (n + 1) * patch));
          }
        }
      });
      if (paddingMode === 'constant') expect(gathered[0]!.includes(-3)).toBe(true);
    });
  }
});
