import { describe, expect, it } from 'vitest';
import { chooseSeries, seriesList } from '../../../main/input/chooseSeries.js';
import type { ScannedSeries } from '../../../main/input/scanInput.js';
import { thrownAxialError } from '../../expectAxialError.js';

function series(index: number, uid: string, description = `series ${index}`): ScannedSeries {
  return { index, uid, description, modality: 'CT', format: 'dicom', files: [], warnings: [], load: () => Promise.reject(new Error('not loaded')) };
}

const three = [series(1, '1.2.3'), series(2, '1.2.4'), series(3, '1.2.4')];

describe('chooseSeries', () => {
  it('takes the only series when none is named', () => {
    const only = series(1, '1.2.3');
    expect(chooseSeries([only], undefined, 'in')).toBe(only);
  });

  it('refuses several series with none named as INPUT_SEVERAL_SERIES, listing them, without naming a CLI option', () => {
    const error = thrownAxialError(() => chooseSeries(three, undefined, '/data/in'));
    expect(error.code).toBe('INPUT_SEVERAL_SERIES');
    expect(error.file).toBe('/data/in');
    expect(error.message).toBe(`/data/in: holds 3 series; choose one by number:\n${seriesList(three)}`);
    expect(error.message).not.toMatch(/--/);
  });

  it('names a series by 1-based index, as a number or as digits, or by a UID that only it has', () => {
    expect(chooseSeries(three, 2, 'in')).toBe(three[1]);
    expect(chooseSeries(three, '3', 'in')).toBe(three[2]);
    expect(chooseSeries(three, '1.2.3', 'in')).toBe(three[0]);
  });

  it('refuses a UID split into several volumes as INPUT_SEVERAL_SERIES, asking for a number', () => {
    const error = thrownAxialError(() => chooseSeries(three, '1.2.4', 'in'));
    expect(error.code).toBe('INPUT_SEVERAL_SERIES');
    expect(error.message).toBe(`in: UID 1.2.4 was split into 2 volumes; choose one by number:\n${seriesList(three)}`);
  });

  it('refuses a name that matches nothing as DICOM_SERIES_NOT_FOUND; a number is never taken for a UID', () => {
    expect(thrownAxialError(() => chooseSeries(three, 4, 'in')).code).toBe('DICOM_SERIES_NOT_FOUND');
    expect(thrownAxialError(() => chooseSeries(three, '9.9', 'in')).message).toBe(`in: no series 9.9; found:\n${seriesList(three)}`);
    expect(thrownAxialError(() => chooseSeries([series(1, '7'), series(2, '8')], 7, 'in')).code).toBe('DICOM_SERIES_NOT_FOUND');
  });

  it('lists one line per series, whatever tabs or newlines a UID or description holds', () => {
    expect(seriesList([series(1, ''), series(2, '1.2', 'two\n  3: forged\tline')])).toBe('  1: (no UID) series 1\n  2: 1.2 two   3: forged line');
  });
});
