import { describe, expect, it } from 'vitest';
import { countLabels } from '../../../main/labels/countLabels.js';
import { runPythonJson } from '../../python.js';
import { seededRandom } from '../../seededRandom.js';

/** numpy.bincount of the same values: voxels per value, up to the largest present. */
function bincount(values: ArrayLike<number>): number[] {
  return runPythonJson<number[]>('import json, sys, numpy as np; print(json.dumps(np.bincount(np.array(json.loads(sys.argv[1]), dtype=np.int64)).tolist()))', [
    JSON.stringify(Array.from(values)),
  ]);
}

describe('countLabels against numpy.bincount', () => {
  const random = seededRandom(42);
  // Runs of random length (as neighbouring voxels share a label), single voxels between them, and a run to the end.
  const runs = (length: number, top: number): number[] => {
    const out: number[] = [];
    while (out.length < length) {
      const value = Math.floor(random() * (top + 1));
      const run = random() < 0.3 ? 1 : 1 + Math.floor(random() * 40);
      for (let n = 0; n < run && out.length < length; n++) out.push(value);
    }
    return out;
  };

  it('counts 8-bit labels, runs and single voxels alike', () => {
    const labels = Uint8Array.from(runs(5000, 255));
    // a run of one at the very start
    labels[0] = 17;
    labels[1] = 18;
    expect(Array.from(countLabels(labels))).toEqual(bincount(labels));
  });

  it('counts 16-bit labels up to the largest present', () => {
    const labels = Uint16Array.from(runs(5000, 1200));
    labels[labels.length - 1] = 65535;
    const counts = countLabels(labels);
    expect(counts.length).toBe(65536);
    expect(Array.from(counts)).toEqual(bincount(labels));
  });

  it("ends at the largest label present, below the type's top", () => {
    const labels = Uint16Array.from(runs(3000, 1200));
    const largest = Math.max(...labels);
    expect(largest).toBeLessThan(65535);
    expect(countLabels(labels).length).toBe(largest + 1);
    expect(Array.from(countLabels(labels))).toEqual(bincount(labels));
  });

  it('gives [0] for no voxels and [n] for background only', () => {
    expect(Array.from(countLabels(new Uint8Array(0)))).toEqual([0]);
    expect(Array.from(countLabels(new Uint16Array(7)))).toEqual([7]);
  });
});
