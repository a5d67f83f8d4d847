import { describe, expect, it } from 'vitest';
import { unifyTimePointTypes } from '../../../main/dicom/unifyTimePointTypes.js';
import type { VoxelArray } from '../../../main/volume/Volume.js';

describe('unifyTimePointTypes', () => {
  it('leaves time points of one type as they are', () => {
    const timePoints: VoxelArray[] = [Int16Array.of(-1024, 3), Int16Array.of(7, 8)];
    const [a, b] = timePoints;
    unifyTimePointTypes(timePoints, 'f.dcm');
    expect(timePoints[0]).toBe(a);
    expect(timePoints[1]).toBe(b);
  });

  it('takes int32 for uint16 values past int16 beside negative int16 ones', () => {
    const timePoints: VoxelArray[] = [Int16Array.of(-1024, 5), Uint16Array.of(0, 40000)];
    unifyTimePointTypes(timePoints, 'f.dcm');
    expect(timePoints.map((v) => [v.constructor.name, ...v])).toEqual([
      ['Int32Array', -1024, 5],
      ['Int32Array', 0, 40000],
    ]);
  });

  it('goes by values, not types: uint16 holding 0-1000 beside int16 becomes int16 in its own buffer; -5-100 all int8', () => {
    const wide = Uint16Array.of(0, 1000);
    const timePoints: VoxelArray[] = [Int16Array.of(-500, 5), wide];
    unifyTimePointTypes(timePoints, 'f.dcm');
    expect(timePoints[1]).toBeInstanceOf(Int16Array);
    expect(timePoints[1]!.buffer).toBe(wide.buffer);
    expect([...timePoints[1]!]).toEqual([0, 1000]);
    const small: VoxelArray[] = [Int16Array.of(-5, 5), Uint16Array.of(0, 100)];
    unifyTimePointTypes(small, 'f.dcm');
    expect(small.map((v) => [v.constructor.name, ...v])).toEqual([
      ['Int8Array', -5, 5],
      ['Int8Array', 0, 100],
    ]);
  });

  it('takes float32 beside a float time point, float64 when an integer is past 2^24', () => {
    const exact: VoxelArray[] = [Int16Array.of(-950, 3), Float32Array.of(82.5)];
    unifyTimePointTypes(exact, 'f.dcm');
    expect(exact.map((v) => [v.constructor.name, ...v])).toEqual([
      ['Float32Array', -950, 3],
      ['Float32Array', 82.5],
    ]);
    const past: VoxelArray[] = [Int32Array.of(2 ** 24 + 1), Float32Array.of(0.5)];
    unifyTimePointTypes(past, 'f.dcm');
    expect(past.map((v) => [v.constructor.name, ...v])).toEqual([
      ['Float64Array', 2 ** 24 + 1],
      ['Float64Array', 0.5],
    ]);
  });
});
