import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { importanceMap } from '../../../../main/segmentation/inference/importanceMap.js';
import { windowStarts } from '../../../../main/segmentation/inference/windowStarts.js';

/**
 * MONAI's 2D compute_importance_map and one axis of dense_patch_slices, in torch as monai/data/utils.py computes
 * them (float32 1D gaussians multiplied, clamped below at max(min, 1e-3)), for each [roi, sigma_scale] given.
 */
const monai2d = `import json, math, sys, torch
out = []
for (a, b), sigma_scale in json.loads(sys.argv[1]):
    result = None
    for i, n in enumerate((a, b)):
        x = torch.arange(start=-(n - 1) / 2.0, end=(n - 1) / 2.0 + 1, dtype=torch.float)
        x = torch.exp(x**2 / (-2 * (n * sigma_scale) ** 2))
        result = x if i == 0 else result.unsqueeze(-1) * x[(None,) * i]
    result = torch.clamp_(result, min=max(torch.min(result).item(), 1e-3))
    out.append(result.flatten().tolist())
print(json.dumps(out))`;

describe("the sliding window's grid and weights with a window one slice thick (SliceInferer's 3D form)", () => {
  it('visits every slice once: interval int(1 × (1 − overlap)) = 0 raised to 1, as MONAI does', () => {
    for (const overlap of [0, 0.25, 0.5, 0.9]) {
      expect(windowStarts(7, 1, overlap)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(windowStarts(1, 1, overlap)).toEqual([0]);
    }
  });

  it('weighs each slice with MONAI’s 2D gaussian map, the slice axis contributing exp(0) = 1, wherever the axis is', () => {
    const cases: [[number, number], number][] = [
      [[32, 24], 0.125],
      [[7, 5], 0.5],
      [[256, 256], 0.125],
    ];
    const expected = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', monai2d, JSON.stringify(cases)], { encoding: 'utf8', maxBuffer: 64 << 20 }),
    ) as number[][];
    cases.forEach(([[a, b], sigma], n) => {
      for (const roi of [
        [1, a, b],
        [a, 1, b],
        [a, b, 1],
      ] as [number, number, number][]) {
        const map = importanceMap(roi, 'gaussian', sigma);
        expect(map.length).toBe(a * b);
        // float32 products in a different order: within a few units in the last place
        const worst = Math.max(...Array.from(map, (v, i) => Math.abs(v - expected[n]![i]!) / expected[n]![i]!));
        expect(worst).toBeLessThan(1e-6);
      }
    });
    expect(Array.from(importanceMap([5, 1, 4], 'constant', 0.125))).toEqual(new Array(20).fill(1));
  });
});
