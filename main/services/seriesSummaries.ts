import type { SeriesSummary } from '../../core/contract.js';
import { pickerFacts } from '../input/pickerFacts.js';
import type { LoaderScan } from '../loader/createVolumeLoader.js';

/** A scan's series as the page lists them: facts for people, each series' UID only to tell rows apart. */
export function seriesSummaries(scan: Pick<LoaderScan, 'series'>): SeriesSummary[] {
  return scan.series.map(({ index, uid, description, modality, format, files, ...more }) => ({
    index,
    uid,
    description,
    modality,
    format,
    files: files.length,
    timePoints: more.timePoints ?? 1,
    ...pickerFacts(more),
  }));
}
