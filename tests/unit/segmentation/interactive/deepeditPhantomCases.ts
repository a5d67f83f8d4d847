import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import type { Volume } from '../../../../main/volume/Volume.js';
import { repoRoot } from '../../../repoRoot.js';

export { repoRoot };
export const deepEditBundle = join(repoRoot, 'models', 'demo-deepedit');

export interface DeepEditPhantom {
  readonly path: string;
  readonly volume: Volume;
  readonly truth: ArrayLike<number>;
  readonly organCentre: Vec3;
  readonly distractorCentres: Vec3[];
}

/**
 * Held-out phantoms of the demo DeepEdit family (seeds from 60000 were never trained on), written by
 * tests/fixtures/deepeditPhantoms.py with Debian's Python into `folder`, then read back.
 */
export async function makeDeepEditPhantoms(folder: string, seeds: readonly number[], spacing?: number): Promise<DeepEditPhantom[]> {
  const fixed = spacing === undefined ? [] : ['--spacing', String(spacing)];
  execFileSync('/usr/bin/python3', [join(repoRoot, 'tests/fixtures/deepeditPhantoms.py'), folder, ...fixed, ...seeds.map(String)]);
  return Promise.all(
    seeds.map(async (seed) => {
      const path = join(folder, `${seed}.nii.gz`);
      const info = JSON.parse(readFileSync(join(folder, `${seed}.json`), 'utf8')) as { organ_centre_lps: Vec3; distractor_centres_lps: Vec3[] };
      return {
        path,
        volume: (await readNifti(path)).volume,
        truth: (await readNifti(join(folder, `${seed}-labels.nii.gz`))).volume.voxels,
        organCentre: info.organ_centre_lps,
        distractorCentres: info.distractor_centres_lps,
      };
    }),
  );
}

/** Dice of label 1 (any non-zero) against the truth. */
export function organDice(truth: ArrayLike<number>, labels: ArrayLike<number>): number {
  let both = 0;
  let total = 0;
  for (let v = 0; v < truth.length; v++) {
    const t = truth[v]! !== 0;
    const p = labels[v]! !== 0;
    if (t && p) both++;
    total += (t ? 1 : 0) + (p ? 1 : 0);
  }
  return total === 0 ? 1 : (2 * both) / total;
}
