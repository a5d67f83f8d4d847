import { describe, expect, it } from 'vitest';
import { chooseSeriesOption } from '../../../main/cli/chooseSeriesOption.js';
import { commandLineError } from '../../../main/cli/commandLineError.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { seriesList } from '../../../main/input/chooseSeries.js';
import type { ScannedSeries } from '../../../main/input/scanInput.js';
import { thrownAxialError } from '../../expectAxialError.js';

function series(index: number, uid: string): ScannedSeries {
  return {
    index,
    uid,
    description: `series ${index}`,
    modality: 'CT',
    format: 'dicom',
    files: [],
    warnings: [],
    load: () => Promise.reject(new Error('not loaded')),
  };
}

const three = [series(1, '1.2.3'), series(2, '1.2.4'), series(3, '1.2.4')];

describe('chooseSeriesOption', () => {
  it('reports several series and no --series as a usage error naming the option', () => {
    const error = thrownAxialError(() => chooseSeriesOption(three, undefined, '/data/in'));
    expect(error.code).toBe('CLI_USAGE');
    expect(error.message).toBe(`/data/in: holds 3 series; choose one with --series UID or --series N:\n${seriesList(three)}`);
  });

  it('reports a UID split into several volumes as a usage error with the engine message', () => {
    const error = thrownAxialError(() => chooseSeriesOption(three, '1.2.4', '/data/in'));
    expect(error.code).toBe('CLI_USAGE');
    expect(error.message).toBe(`/data/in: UID 1.2.4 was split into 2 volumes; choose one by number:\n${seriesList(three)}`);
  });

  it('passes a series that matches nothing through as DICOM_SERIES_NOT_FOUND, and a match as the series', () => {
    expect(thrownAxialError(() => chooseSeriesOption(three, '7', 'in')).code).toBe('DICOM_SERIES_NOT_FOUND');
    expect(chooseSeriesOption(three, '2', 'in')).toBe(three[1]);
  });
});

describe('commandLineError', () => {
  it('re-codes a relayed INPUT_SEVERAL_SERIES (its file only in the message) as CLI_USAGE with the same message', () => {
    const relayed = new AxialError('INPUT_SEVERAL_SERIES', '/data/in: holds 2 series; choose one by number:\n  1: a\n  2: b');
    const usage = commandLineError(relayed) as AxialError;
    expect(usage.code).toBe('CLI_USAGE');
    expect(usage.message).toBe(relayed.message);
  });

  it('returns every other error as it is', () => {
    const other = new AxialError('INFERENCE_FAILED', 'x');
    expect(commandLineError(other)).toBe(other);
  });
});
