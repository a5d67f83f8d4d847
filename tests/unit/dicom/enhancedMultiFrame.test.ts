import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { scanInput } from '../../../main/input/scanInput.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { debianPython } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { repoRoot } from '../../repoRoot.js';

const generator = join(repoRoot, 'tests', 'fixtures', 'makeEnhancedCt.py');

interface GeneratorResult {
  readonly frames: number;
  /** Source slice index (along the normal) of each stored frame. */
  readonly order: number[];
}

async function loadOnly(path: string): Promise<Volume> {
  const scan = await scanInput(path);
  expect(scan.series).toHaveLength(1);
  expect(scan.skipped).toEqual([]);
  return (await scan.series[0]!.load()).volume;
}

/** Same dimensions and, within 1e-6 mm, the same spacing, origin and direction. */
function expectSameGrid(actual: Volume, expected: Volume): void {
  expect(actual.dimensions).toEqual(expected.dimensions);
  const numbers = (v: Volume): number[] => [...v.spacing, ...v.origin, ...v.direction.flat()];
  const a = numbers(actual);
  const e = numbers(expected);
  const worst = Math.max(...a.map((value, i) => Math.abs(value - e[i]!)));
  expect(worst).toBeLessThan(1e-6);
}

function countDifferentVoxels(a: Volume, b: Volume): number {
  expect(a.voxels.length).toBe(b.voxels.length);
  let different = 0;
  for (let i = 0; i < a.voxels.length; i++) if (a.voxels[i] !== b.voxels[i]) different++;
  return different;
}

describe.skipIf(!hasSharedData)(`Enhanced CT multi-frame (${noSharedDataReason})`, () => {
  const classicFolder = sharedData('dicom/ct-abdomen-j2k');
  let folder = '';
  let enhanced = '';
  let variedRescale = '';
  let generated: GeneratorResult;
  let classic: Volume;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-enhanced-'));
    enhanced = join(folder, 'enhanced-ct.dcm');
    variedRescale = join(folder, 'enhanced-ct-varied-rescale.dcm');
    const out = execFileSync(debianPython, [generator, classicFolder, enhanced, variedRescale], { encoding: 'utf8' });
    generated = JSON.parse(out.trim().split('\n').pop()!) as GeneratorResult;
    classic = await loadOnly(classicFolder);
  }, 120_000);

  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('stores the frames out of slice order, so placing them needs the per-frame positions', () => {
    expect(generated.frames).toBe(20);
    expect([...generated.order].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(generated.order).not.toEqual([...Array(20).keys()]);
    expect(generated.order).not.toEqual([...Array(20).keys()].reverse());
  });

  it('reads the multi-frame object as the classic series’ volume, voxel for voxel', async () => {
    const volume = await loadOnly(enhanced);
    expect(volume.dimensions).toEqual([512, 512, 20]);
    expect(volume.spacing[2]).toBeCloseTo(2, 6);
    expectSameGrid(volume, classic);
    expect(countDifferentVoxels(volume, classic)).toBe(0);
    expect(volume.metadata.modality).toBe('CT');
    expect(volume.metadata.units).toBe('HU');
    expect(volume.metadata.fileCount).toBe(1);
  });

  it('applies each frame’s own RescaleIntercept from its PixelValueTransformationSequence', async () => {
    const scan = await scanDicom(variedRescale);
    const intercepts = scan.series[0]!.slices.map((s) => s.geometry.intercept);
    expect(new Set(intercepts).size).toBe(20);

    const volume = await loadOnly(variedRescale);
    expect(volume.dimensions).toEqual([512, 512, 20]);
    expectSameGrid(volume, classic);
    expect(countDifferentVoxels(volume, classic)).toBe(0);
  });
});
