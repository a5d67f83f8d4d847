import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { applyIntensityStep } from '../../../../main/segmentation/pipeline/intensityTransforms.js';

interface RangeArgs {
  readonly aMin: number;
  readonly aMax: number;
  readonly bMin: number | null;
  readonly bMax: number | null;
  readonly clip: boolean;
}

/** 500 irregular CT-like values from −1100 to 1400, as float32 (MONAI's LoadImaged gives a float32 image). */
const values = Float32Array.from({ length: 500 }, (_, n) => -1100 + n * 5 + Math.sin(n * 1.3) * 2.7 + (n % 7) / 3);

/**
 * monai.transforms.ScaleIntensityRange.__call__ (MONAI 1.4), its lines re-typed on a float32 torch tensor: the
 * a_min == a_max branch, the scale, and clip(img, b_min, b_max), which is torch.clamp.
 */
function monaiScaleRange(cases: readonly RangeArgs[]): number[][] {
  const script = `
import json, sys, torch
values = torch.tensor(json.loads(sys.argv[1]), dtype=torch.float32)
out = []
for c in json.loads(sys.argv[2]):
    a_min, a_max, b_min, b_max, clip = c['aMin'], c['aMax'], c['bMin'], c['bMax'], c['clip']
    img = values.clone()
    if a_max - a_min == 0.0:
        img = img - a_min if b_min is None else img - a_min + b_min
    else:
        img = (img - a_min) / (a_max - a_min)
        if (b_min is not None) and (b_max is not None):
            img = img * (b_max - b_min) + b_min
        if clip:
            img = torch.clamp(img, b_min, b_max)
    out.append([float(v) for v in img])
print(json.dumps(out))
`;
  const output = execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(Array.from(values)), JSON.stringify(cases)], { encoding: 'utf8' });
  return JSON.parse(output) as number[][];
}

describe('applyIntensityStep: ScaleIntensityRanged against MONAI', () => {
  const cases: RangeArgs[] = [
    // The usual CT window, to [0, 1], clipped.
    { aMin: -200, aMax: 800, bMin: 0, bMax: 1, clip: true },
    { aMin: -57, aMax: 164, bMin: -1, bMax: 1, clip: false },
    // a_min = a_max: MONAI warns and returns img − a_min + b_min (b_max and clip unread).
    { aMin: 300, aMax: 300, bMin: -0.5, bMax: 1, clip: false },
    { aMin: 300, aMax: 300, bMin: 0.3, bMax: 1, clip: true },
    { aMin: 300, aMax: 300, bMin: null, bMax: null, clip: false },
    // Clip with one bound given clamps to that bound alone (torch.clamp(img, b_min, None)).
    { aMin: -200, aMax: 800, bMin: 0.3, bMax: null, clip: true },
    { aMin: -200, aMax: 800, bMin: null, bMax: 0.7, clip: true },
    // b_min above b_max: torch.clamp gives b_max wherever the bounds cross, here everywhere.
    { aMin: -200, aMax: 800, bMin: 1, bMax: 0, clip: true },
  ];

  it('gives MONAI’s very float32 values, edge cases included', () => {
    const reference = monaiScaleRange(cases);
    cases.forEach((c, n) => {
      const data = values.slice();
      applyIntensityStep(data, { kind: 'ScaleIntensityRanged', ...c });
      expect(Array.from(data), JSON.stringify(c)).toEqual(reference[n]);
    });
  });
});
