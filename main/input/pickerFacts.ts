import type { SeriesSummary } from '../../core/contract.js';
import type { ScannedSeries } from './scanInput.js';

/** What tells a scan's series apart for the picker: only the facts the files gave (no UIDs, no paths). */
export type PickerFacts = Pick<SeriesSummary, 'seriesNumber' | 'images' | 'dimensions' | 'derived' | 'echo'>;

/** A scanned series' picker facts, copied as plain values for the contract (absent ones left out). */
export function pickerFacts(series: Partial<Omit<ScannedSeries, 'load'>>): PickerFacts {
  const { seriesNumber, images, dimensions, derived, echo } = series;
  return {
    ...(seriesNumber !== undefined && { seriesNumber }),
    ...(images !== undefined && { images }),
    ...(dimensions !== undefined && { dimensions: [dimensions[0], dimensions[1], dimensions[2]] }),
    ...(derived === true && { derived }),
    ...(echo !== undefined && { echo }),
  };
}
