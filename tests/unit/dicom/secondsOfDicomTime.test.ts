import { describe, expect, it } from 'vitest';
import { secondsOfDicomTime } from '../../../main/dicom/secondsOfDicomTime.js';

describe('secondsOfDicomTime', () => {
  it.each([
    ['140310.500000', 'TM', 50590.5],
    ['1403', 'TM', 50580],
    ['14', 'TM', 50400],
    ['14:03:10.25', 'TM', 50590.25],
    ['235959.999999', 'TM', 86399.999999],
    ['20221208140310.5+0100', 'DT', 50590.5],
    ['20221208', 'DT', 0],
  ] as const)('reads %s (%s) as %d s after midnight', (text, vr, seconds) => {
    expect(secondsOfDicomTime(text, vr)).toBeCloseTo(seconds, 6);
  });

  it.each([
    ['', 'TM'],
    ['2500', 'TM'],
    ['14h03', 'TM'],
    ['1403101', 'TM'],
    ['2022', 'DT'],
  ] as const)('refuses %j (%s)', (text, vr) => {
    expect(secondsOfDicomTime(text, vr)).toBeUndefined();
  });
});
