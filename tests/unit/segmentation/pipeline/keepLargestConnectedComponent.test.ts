import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { keepLargestConnectedComponent } from '../../../../main/segmentation/pipeline/keepLargestConnectedComponent.js';

interface Case {
  readonly seed: number;
  readonly connectivity: 1 | 2 | 3;
  readonly independent: boolean;
  readonly appliedLabels: number[] | null;
}

/** 7×5×6 (all sizes differ): labels 1-3 on a fifth of the voxels, so each label makes a few small components, often of equal size. */
const dims: Vec3 = [7, 5, 6];
const cases: Case[] = [1, 2, 3, 4, 5, 6].flatMap((seed) =>
  ([1, 2, 3] as const).map((connectivity) => ({
    seed,
    connectivity,
    // The union of every label, 6-connected, breaks into more than 15 components (see monaiReference): cleaned per label.
    independent: connectivity === 1 || seed % 2 === 0,
    appliedLabels: connectivity === 2 ? [1, 3] : null,
  })),
);

/**
 * MONAI 1.4's KeepLargestConnectedComponent on a label map ([1, i, j, k], k fastest), its lines re-typed in numpy:
 * get_largest_connected_component_mask labels with scikit-image (scipy's ndimage.label numbers components in the same
 * raster order), then keeps argsort(bincount)[::-1][:1]. Returns the random volumes before and after (i fastest) and how
 * many label groups had a tie for the largest.
 */
function monaiReference(): { inputs: number[][]; labels: number[][]; ties: number } {
  const script = `
import json, numpy as np
from scipy import ndimage
def largest_mask(img, connectivity):
    features, num = ndimage.label(img, structure=ndimage.generate_binary_structure(3, connectivity))
    if num <= 1:
        return img.astype(bool), False
    sizes = np.bincount(features[np.nonzero(features)])
    assert num <= 15  # numpy sorts up to 16 values stably (insertion sort): MONAI's tie-break is defined
    tie = int((sizes == sizes.max()).sum()) > 1
    return np.isin(features, np.argsort(sizes)[::-1][:1]), tie
inputs, out, ties = [], [], 0
for case in json.loads(${JSON.stringify(JSON.stringify(cases))}):
    rng = np.random.default_rng(case['seed'])
    img = np.where(rng.random((${dims.join(', ')})) < 0.2, rng.integers(1, 4, (${dims.join(', ')})), 0)
    inputs.append(img.transpose(2, 1, 0).ravel().tolist())
    applied = case['appliedLabels'] or [int(v) for v in np.unique(img) if v != 0]
    if case['independent']:
        for l in applied:
            fg = img == l
            mask, tie = largest_mask(fg, case['connectivity'])
            img[fg != mask] = 0; ties += tie
    else:
        fg = np.isin(img, applied)
        mask, tie = largest_mask(fg, case['connectivity'])
        img[fg != mask] = 0; ties += tie
    out.append(img.transpose(2, 1, 0).ravel().tolist())
print(json.dumps({'inputs': inputs, 'labels': out, 'ties': ties}))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' })) as ReturnType<typeof monaiReference>;
}

describe('keepLargestConnectedComponent', () => {
  it("matches MONAI's rule on random label maps, ties for the largest included", () => {
    const reference = monaiReference();
    // The cases must exercise the tie-break, or this spec would not tell MONAI's choice from another.
    expect(reference.ties).toBeGreaterThanOrEqual(5);
    cases.forEach((c, n) => {
      const labels = Uint8Array.from(reference.inputs[n]!);
      keepLargestConnectedComponent({ labels, dimensions: dims, appliedLabels: c.appliedLabels, independent: c.independent, connectivity: c.connectivity });
      expect(Array.from(labels), `case ${n}: ${JSON.stringify(c)}`).toEqual(reference.labels[n]);
    });
  });

  it('keeps, of two equal largest, the one whose first voxel comes last in k-fastest order (by hand)', () => {
    // Two 2-voxel components on a 4×3×2 grid: A at (0,0,0)-(1,0,0), B at (2,2,1)-(3,2,1). A comes first in either
    // order (i fastest: voxel 0; k fastest: index k + 2(j + 3i) = 0), B last (k fastest: 1 + 2(2 + 3·2) = 17).
    const d: Vec3 = [4, 3, 2];
    const labels = new Uint8Array(24);
    const at = (i: number, j: number, k: number): number => i + 4 * (j + 3 * k);
    for (const n of [at(0, 0, 0), at(1, 0, 0), at(2, 2, 1), at(3, 2, 1)]) labels[n] = 1;
    keepLargestConnectedComponent({ labels, dimensions: d, appliedLabels: null, independent: true, connectivity: 3 });
    expect([at(0, 0, 0), at(1, 0, 0), at(2, 2, 1), at(3, 2, 1)].map((n) => labels[n])).toEqual([0, 0, 1, 1]);
  });

  it('cleans a label of 256,000 components (a stack-sized spread of their sizes overflowed)', () => {
    // 80×80×80: a 3D checkerboard of label 1 (no two of its voxels share a face) beyond i = 3, and a solid 3×3×3 block at
    // i, j, k < 3 set apart by the empty plane i = 3. Six-connected, every checkerboard voxel is its own component.
    const d: Vec3 = [80, 80, 80];
    const labels = new Uint8Array(80 ** 3);
    for (let n = 0; n < labels.length; n++) {
      const [i, j, k] = [n % 80, Math.floor(n / 80) % 80, Math.floor(n / 6400)];
      if (i > 3 && (i + j + k) % 2 === 0) labels[n] = 1;
      if (i < 3 && j < 3 && k < 3) labels[n] = 1;
    }
    expect(labels.reduce((s, v) => s + v, 0)).toBe(76 * 3200 + 27);
    keepLargestConnectedComponent({ labels, dimensions: d, appliedLabels: [1], independent: true, connectivity: 1 });
    let kept = 0;
    let outsideBlock = 0;
    labels.forEach((v, n) => {
      kept += v;
      if (v && !(n % 80 < 3 && Math.floor(n / 80) % 80 < 3 && Math.floor(n / 6400) < 3)) outsideBlock++;
    });
    expect([kept, outsideBlock]).toEqual([27, 0]);
  });
});
