import { AxialError } from '../errors/AxialError.js';
import type { ScannedSeries } from './scanInput.js';

/**
 * Picks the series to read from a scanned input: the only one, or the one named by
 * its 1-based index (as `scanInput` numbers them) or, for a string, by SeriesInstanceUID.
 * A number names an index only; an index wins over a UID that reads the same.
 * @throws AxialError INPUT_SEVERAL_SERIES when several series exist and none is named, or the named UID was
 *   split into several volumes; DICOM_SERIES_NOT_FOUND when the name matches none. Both list the series.
 */
export function chooseSeries(all: readonly ScannedSeries[], wanted: string | number | undefined, input: string): ScannedSeries {
  if (wanted === undefined) {
    if (all.length === 1) return all[0]!;
    throw new AxialError('INPUT_SEVERAL_SERIES', `holds ${all.length} series; choose one by number:\n${seriesList(all)}`, { file: input });
  }
  const index = typeof wanted === 'number' ? wanted : /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  const byIndex = index === undefined ? undefined : all.find((s) => s.index === index);
  if (byIndex) return byIndex;
  const byUid = typeof wanted === 'string' ? all.filter((s) => s.uid === wanted) : [];
  if (byUid.length === 1) return byUid[0]!;
  if (byUid.length > 1) {
    throw new AxialError('INPUT_SEVERAL_SERIES', `UID ${wanted} was split into ${byUid.length} volumes; choose one by number:\n${seriesList(all)}`, {
      file: input,
    });
  }
  throw new AxialError('DICOM_SERIES_NOT_FOUND', `no series ${wanted}; found:\n${seriesList(all)}`, { file: input });
}

/**
 * The series as a message lists them, one line each: index, UID and description. UIDs and descriptions are read
 * from files, so a tab or newline in them becomes a space: no line of the list can be forged.
 */
export function seriesList(all: readonly ScannedSeries[]): string {
  const line = (text: string): string => text.replace(/[\t\n]+/g, ' ');
  return all.map((s) => `  ${s.index}: ${line(s.uid) || '(no UID)'} ${line(s.description)}`).join('\n');
}
