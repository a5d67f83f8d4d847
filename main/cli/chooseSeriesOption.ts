import { AxialError, isAxialError } from '../errors/AxialError.js';
import { chooseSeries, seriesList } from '../input/chooseSeries.js';
import type { ScannedSeries } from '../input/scanInput.js';
import { commandLineError } from './commandLineError.js';

/**
 * `--series UID|N` applied to a scanned input: {@link chooseSeries}, with the engine's INPUT_SEVERAL_SERIES
 * reported as a usage error, naming the option when none was given.
 * @throws AxialError CLI_USAGE when several exist and none is named, or the UID was split into several volumes;
 *   DICOM_SERIES_NOT_FOUND when the name matches none.
 */
export function chooseSeriesOption(all: readonly ScannedSeries[], wanted: string | undefined, input: string): ScannedSeries {
  try {
    return chooseSeries(all, wanted, input);
  } catch (error) {
    if (wanted === undefined && isAxialError(error) && error.code === 'INPUT_SEVERAL_SERIES') {
      const message = `holds ${all.length} series; choose one with --series UID or --series N:\n${seriesList(all)}`;
      throw new AxialError('CLI_USAGE', message, { file: input, cause: error });
    }
    throw commandLineError(error);
  }
}
