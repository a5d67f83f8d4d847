import type { SeriesSummary } from '../../core/contract.js';
import { pickerFacts } from '../input/pickerFacts.js';
import type { LoaderScan } from '../loader/createVolumeLoader.js';

/**
 * A scan's series as the page lists them: facts for people, each series' UID only to tell rows apart, and
 * each series' patient and study where the scan holds more than one (of one, naming it on every row tells nothing).
 */
export function seriesSummaries(scan: Pick<LoaderScan, 'series'>): SeriesSummary[] {
  const studies = new Set(scan.series.flatMap((s) => (s.study ? [s.study.index] : [])));
  return scan.series.map(({ index, uid, description, modality, format, files, study, ...more }) => ({
    index,
    uid,
    description,
    modality,
    format,
    files: files.length,
    timePoints: more.timePoints ?? 1,
    ...pickerFacts(more),
    ...(studies.size > 1 && study && { study: { ...study } }),
  }));
}
