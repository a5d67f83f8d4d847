import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { buildGuidedInput } from '../../../../main/segmentation/interactive/buildGuidedInput.js';
import type { ClickPoint } from '../../../../main/segmentation/interactive/ClickPoint.js';
import { resolveClicks } from '../../../../main/segmentation/interactive/resolveClicks.js';
import { loadModelSpec } from '../../../../main/segmentation/loadModelSpec.js';
import type { InteractiveSpec, ModelSpec } from '../../../../main/segmentation/ModelSpec.js';
import { preprocessVolume } from '../../../../main/segmentation/pipeline/preprocessVolume.js';
import type { Volume } from '../../../../main/volume/Volume.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bundle = join(root, 'models', 'demo-deepedit');
const scratch = mkdtempSync(join(tmpdir(), 'axial-deepedit-guidance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface PhantomInfo {
  organ_centre_lps: Vec3;
  distractor_centres_lps: Vec3[];
}

let spec: ModelSpec;
let interactive: InteractiveSpec;
const cases: { volume: Volume; info: PhantomInfo; path: string }[] = [];

beforeAll(async () => {
  execFileSync('/usr/bin/python3', [join(root, 'tests/fixtures/deepeditPhantoms.py'), scratch, '60100', '60101']);
  for (const seed of [60100, 60101]) {
    const path = join(scratch, `${seed}.nii.gz`);
    cases.push({ volume: (await readNifti(path)).volume, info: JSON.parse(readFileSync(join(scratch, `${seed}.json`), 'utf8')) as PhantomInfo, path });
  }
  spec = await loadModelSpec(bundle);
  interactive = spec.interactive!;
}, 60_000);

/** MONAI's input for these clicks, from the Python reimplementation (tests/fixtures/deepeditGuidance.py). */
function monaiInput(path: string, points: readonly ClickPoint[], name: string): { input: Float32Array; guidance: Record<string, Vec3[]> } {
  const byLabel: Record<string, Vec3[]> = Object.fromEntries(interactive.labelNames.map((n) => [n, []]));
  for (const p of points) byLabel[p.kind === 'bg' ? interactive.backgroundName! : interactive.labelNames[0]!]!.push(p.world);
  const scale = spec.preprocessing.find((s) => s.kind === 'ScaleIntensityRanged')!;
  const request = join(scratch, `${name}.json`);
  const out = join(scratch, `${name}.f32`);
  writeFileSync(
    request,
    JSON.stringify({ points: byLabel, a_min: scale.aMin, a_max: scale.aMax, spatial_size: interactive.spatialSize, sigma: interactive.sigma }),
  );
  const printed = JSON.parse(
    execFileSync('/usr/bin/python3', [join(root, 'tests/fixtures/deepeditGuidance.py'), path, request, out], { encoding: 'utf8' }),
  ) as {
    guidance: Record<string, Vec3[]>;
  };
  const bytes = readFileSync(out);
  return { input: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), guidance: printed.guidance };
}

function axialInput(volume: Volume, points: readonly ClickPoint[]) {
  const { image, inverse } = preprocessVolume(volume, spec.preprocessing, spec.modelPath);
  const clicks = resolveClicks(volume, interactive, points);
  return buildGuidedInput({ image: image.data, dimensions: image.dimensions, orientation: inverse.orientation, interactive, clicks });
}

function maxDifference(a: Float32Array, b: Float32Array, from: number, to: number): number {
  let worst = 0;
  for (let n = from; n < to; n++) worst = Math.max(worst, Math.abs(a[n]! - b[n]!));
  return worst;
}

describe('DeepEdit guidance channels against MONAI (Python reimplementation)', () => {
  it('reads the demo bundle as MONAI DeepEdit: label_names order, Resized 64³, sigma 3', () => {
    expect(interactive).toEqual({
      labelNames: ['organ', 'background'],
      backgroundName: 'background',
      intensityChannels: 1,
      sigma: 3,
      spatialSize: [64, 64, 64],
      discardGuidance: false,
    });
    expect(spec.input.channels).toBe(3);
    expect(spec.unsupported).toEqual([]);
  });

  const scenarios: [string, (info: PhantomInfo) => ClickPoint[]][] = [
    ['one foreground click at the organ centre', (i) => [{ kind: 'fg', world: i.organ_centre_lps }]],
    [
      'two foreground and two background clicks (one near the scan edge)',
      (i) => [
        { kind: 'fg', world: i.organ_centre_lps },
        { kind: 'fg', world: [i.organ_centre_lps[0] + 7, i.organ_centre_lps[1] - 4, i.organ_centre_lps[2] + 3] },
        { kind: 'bg', world: i.distractor_centres_lps[0]! },
        { kind: 'bg', world: [85, 75, -55] },
      ],
    ],
    ['no clicks (both guidance channels zero)', () => []],
  ];

  for (const [title, pointsOf] of scenarios) {
    it(title, () => {
      cases.forEach(({ volume, info, path }, c) => {
        const points = pointsOf(info);
        const axial = axialInput(volume, points);
        const monai = monaiInput(path, points, `${title.length}-${c}`);
        const n = 64 ** 3;
        expect(axial.input.length).toBe(monai.input.length);
        // The clicks land on the same network voxels, exactly.
        expect(axial.guidance).toEqual(monai.guidance);
        // Guidance: float32 rounding apart (torch convolves in float32, Axial sums in float64 and rounds once).
        const guidance = maxDifference(axial.input, monai.input, n, 3 * n);
        expect(guidance).toBeLessThan(3e-7);
        if (points.length === 0) expect(axial.input.subarray(n).every((v) => v === 0)).toBe(true);
        else expect(axial.input.subarray(n, 2 * n).reduce((m, v) => Math.max(m, v), 0)).toBe(1);
        // The image channel: ScaleIntensityRanged then Resized(area), float32 sums in another order.
        const image = maxDifference(axial.input, monai.input, 0, n);
        expect(image).toBeLessThan(5e-7);
        console.log(`${title} case ${c}: guidance max |diff| ${guidance.toExponential(2)}, image ${image.toExponential(2)}`);
      });
    });
  }
});
