import { describe, expect, it } from 'vitest';
import { philipsPreciseMap } from '../../../../main/dicom/philips/philipsPreciseMap.js';

/**
 * The expected slopes and intercepts are the scl_slope/scl_inter that dcm2niix v1.0.20220720
 * (Debian's build) wrote for Philips series with these RS:RI:SS (made by tests/fixtures/makePhilipsMr.py),
 * read back with nibabel: float32 values, so they must come out bit for bit.
 */
describe('philipsPreciseMap', () => {
  it.each([
    { rs: 1.84908424908424, ri: 0, ss: 0.0327447, slope: 30.539295196533203, intercept: 0 },
    { rs: 2.3531135531135, ri: -4.7, ss: 0.0122, slope: 81.96720886230469, intercept: -163.71749877929688 },
    { rs: 1.53455433455433, ri: -3142, ss: 0.0004884004884, slope: 2047.75, intercept: -4192256 },
  ])('RS $rs, RI $ri, SS $ss gives dcm2niix’s scl_slope $slope and scl_inter $intercept', ({ rs, ri, ss, slope, intercept }) => {
    expect(philipsPreciseMap(rs, ri, ss)).toEqual({ slope, intercept });
  });

  it('differs from 1/SS in double precision, as dcm2niix’s float32 arithmetic does', () => {
    expect(philipsPreciseMap(1.84908424908424, 0, 0.0327447)!.slope).not.toBe(1 / Math.fround(0.0327447));
  });

  it('gives no map where FP is undefined (SS 0, RS·SS 0), so the display values stay', () => {
    expect(philipsPreciseMap(1.5, 0, 0)).toBeUndefined();
    expect(philipsPreciseMap(0, 0, 0.03)).toBeUndefined();
  });
});
