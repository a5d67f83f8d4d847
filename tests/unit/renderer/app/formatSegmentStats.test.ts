import { describe, expect, it } from 'vitest';
import { formatMl, formatStat, formatVoxels, statDecimals } from '../../../../renderer/app/formatSegmentStats.js';

describe('formatSegmentStats', () => {
  it('writes mL with one decimal, and a non-empty segment under 0.05 mL as <0.1', () => {
    expect(formatMl(249.1612)).toBe('249.2');
    expect(formatMl(0.06)).toBe('0.1');
    expect(formatMl(0.02)).toBe('<0.1');
    expect(formatMl(0)).toBe('0.0');
    expect(formatMl(1523.449)).toBe('1523.4');
  });

  it('rounds values to about a thousandth of the scan range: whole HU on a CT, 0.01 on a 0…1 map', () => {
    expect(statDecimals([-1024, 1839])).toBe(0);
    expect(statDecimals([0, 2803.291015625])).toBe(0);
    expect(statDecimals([0, 100])).toBe(0);
    expect(statDecimals([0, 99])).toBe(1);
    expect(statDecimals([0, 1])).toBe(2);
    expect(statDecimals([0, 0.05])).toBe(4);
    expect(statDecimals([5, 5])).toBe(2);
    expect(formatStat(79.6, 0)).toBe('80');
    expect(formatStat(-563.14, 0)).toBe('-563');
    expect(formatStat(0.4567, 2)).toBe('0.46');
  });

  it('never writes -0', () => {
    expect(formatStat(-0.2, 0)).toBe('0');
    expect(formatStat(-0.004, 2)).toBe('0.00');
  });

  it('separates thousands in voxel counts', () => {
    expect(formatVoxels(130634)).toBe('130,634');
    expect(formatVoxels(33)).toBe('33');
  });
});
