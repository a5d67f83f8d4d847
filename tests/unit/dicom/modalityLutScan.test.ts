import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanInput } from '../../../main/input/scanInput.js';
import { valueRange } from '../../../main/volume/valueRange.js';
import { countDifferent, lutReference, makeLutSeries, pydicomCt, type LutMode } from './modalityLutFiles.js';

const root = mkdtempSync(join(tmpdir(), 'axial-modality-lut-scan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * From folder to volume, as `axial convert` and the viewer open it: readDicomInstance reads each file's
 * Modality LUT Sequence into its instance and loadDicomVolume maps through it. Before, the LUT was
 * ignored: the audit's mlut series opened as its stored 0-2863 "HU" where pydicom gives 0-4920.
 */
describe.skipIf(!existsSync(pydicomCt))('a scanned series whose values come from a Modality LUT Sequence', () => {
  const cases: [LutMode, [number, number]][] = [
    // v → 2v over CT_small's 128-2193, no Rescale tags.
    ['unsigned', [256, 4386]],
    // Signed, descriptor SS -500, Rescale tags beside the LUT (which wins, as in pydicom).
    ['signed', [0, 59904]],
  ];
  it.each(cases)('%s: uint16, range %j, every voxel as pydicom’s apply_modality_lut', async (mode, range) => {
    const folder = makeLutSeries(root, mode);
    const expected = lutReference(folder, mode);
    expect(expected.pydicomAgrees).toBe(true);
    const scan = await scanInput(folder, { threads: 1 });
    expect(scan.series).toHaveLength(1);
    const { volume } = await scan.series[0]!.load();
    expect(volume.dataType).toBe('uint16');
    expect(valueRange(volume)).toEqual(range);
    expect(countDifferent(volume.voxels, expected.voxels)).toBe(0);
  });
});
