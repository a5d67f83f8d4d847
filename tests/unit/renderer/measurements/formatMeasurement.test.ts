import { describe, expect, it } from 'vitest';
import type { RoiStats } from '../../../../core/contract.js';
import { roiLabelOf, statsLineOf } from '../../../../renderer/measurements/formatMeasurement.js';

const roi = (stats: RoiStats) => ({ values: { areaMm2: 153.9, stats } });
/** An ADC map's ROI (mm²/s): values 0.0004–0.003, the volume's range 0.0004 … 0.003 as adc.nii.gz's. */
const adc = roi({ voxels: 316, mean: 0.00123456, sd: 0.00021987, min: 0.0008012, max: 0.0019876 });
const adcRange = [0.0004, 0.003] as const;
const ct = roi({ voxels: 316, mean: 55.349, sd: 12.51, min: -3, max: 98 });
const ctRange = [-1024, 3071] as const;

describe('statsLineOf', () => {
  it('gives an ADC map the decimals its values need, not 0.0 ± 0.0', () => {
    expect(statsLineOf(adc, { units: 'mm2/s', range: adcRange, scope: 'shown' })).toBe('mean 0.0012 ± 0.0002 mm2/s, min 0.0008, max 0.0020, 316 voxels');
  });

  it("writes a CT's min and max in whole HU, as the segment table does, its mean and SD to 0.1 HU, and a 0…1 map to 0.01 and 0.001", () => {
    expect(statsLineOf(ct, { units: 'HU', range: ctRange, scope: 'shown' })).toBe('mean 55.3 ± 12.5 HU, min -3, max 98, 316 voxels');
    const map = roi({ voxels: 20, mean: 0.4567, sd: 0.0123, min: 0.4, max: 0.51 });
    expect(statsLineOf(map, { units: null, range: [0, 1], scope: 'shown' })).toBe('mean 0.457 ± 0.012, min 0.40, max 0.51, 20 voxels');
  });

  it('says "1 voxel", and "no voxels" for an empty ROI', () => {
    const one = roi({ voxels: 1, mean: 40, sd: 0, min: 40, max: 40 });
    expect(statsLineOf(one, { units: 'HU', range: ctRange, scope: 'shown' })).toBe('mean 40.0 ± 0.0 HU, min 40, max 40, 1 voxel');
    expect(statsLineOf(roi({ voxels: 0, mean: null, sd: null, min: null, max: null }), { units: 'HU', range: ctRange, scope: 'shown' })).toBe('no voxels');
    expect(statsLineOf({ values: { lengthMm: 12 } }, { units: 'HU', range: ctRange, scope: 'shown' })).toBe('');
  });

  it('says what the voxels are where the view shows something else: a slab, a turned plane', () => {
    const line = (scope: 'centreSlice' | 'plane' | 'centrePlane'): string => statsLineOf(ct, { units: 'HU', range: ctRange, scope });
    expect(line('centreSlice')).toBe('mean 55.3 ± 12.5 HU, min -3, max 98, 316 voxels of the centre slice');
    expect(line('plane')).toBe('mean 55.3 ± 12.5 HU, min -3, max 98, 316 voxels on the plane');
    expect(line('centrePlane')).toBe('mean 55.3 ± 12.5 HU, min -3, max 98, 316 voxels on the centre plane');
  });
});

describe('roiLabelOf', () => {
  it('labels the ROI on the image with the same decimals, and the slab or turned plane only when there is one', () => {
    expect(roiLabelOf(adc, { range: adcRange, scope: 'shown' })).toBe(' (0.0012 ± 0.0002)');
    expect(roiLabelOf(ct, { range: ctRange, scope: 'shown' })).toBe(' (55.3 ± 12.5)');
    expect(roiLabelOf(ct, { range: ctRange, scope: 'centreSlice' })).toBe(' (55.3 ± 12.5, centre slice)');
    expect(roiLabelOf(ct, { range: ctRange, scope: 'plane' })).toBe(' (55.3 ± 12.5, voxels on plane)');
    expect(roiLabelOf(ct, { range: ctRange, scope: 'centrePlane' })).toBe(' (55.3 ± 12.5, centre plane)');
    expect(roiLabelOf({ values: { lengthMm: 12 } }, { range: ctRange, scope: 'centreSlice' })).toBe('');
  });
});
