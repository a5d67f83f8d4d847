import type { SeriesStudy, SeriesSummary } from '../../core/contract.js';

/** A run of the picker's rows under one patient and study; `heading` null when the scan holds one study only. */
export interface SeriesGroup {
  readonly key: string;
  readonly heading: string | null;
  readonly series: readonly SeriesSummary[];
}

/**
 * The picker's rows grouped by patient and study, so that a DICOMDIR of several patients cannot be mistaken
 * for one: each group headed "DOE, JANE · ID P1 · 2023-01-15 · CT ABDOMEN" (the views' corners' words),
 * groups in the order their first series comes. Main names the study only where the scan holds several; a
 * scan of one study (or of NIfTI files alone) is one group with no heading.
 */
export function seriesGroupsOf(series: readonly SeriesSummary[]): SeriesGroup[] {
  const groups = new Map<string, { study: SeriesStudy | undefined; series: SeriesSummary[] }>();
  for (const s of series) {
    const key = s.study ? `study-${s.study.index}` : 'no-study';
    const group = groups.get(key) ?? { study: s.study, series: [] };
    group.series.push(s);
    groups.set(key, group);
  }
  if (groups.size < 2) return [{ key: 'all', heading: null, series }];
  const headed = [...groups].map(([key, group]) => ({ key, heading: studyHeadingOf(group.study), series: group.series }));
  // Two studies whose facts read the same (the same patient, day and description) are numbered, so neither passes for the other.
  const seen = new Map<string, number>();
  for (const g of headed) seen.set(g.heading, (seen.get(g.heading) ?? 0) + 1);
  const nth = new Map<string, number>();
  return headed.map((g) => {
    if (seen.get(g.heading)! < 2) return g;
    const n = (nth.get(g.heading) ?? 0) + 1;
    nth.set(g.heading, n);
    return { ...g, heading: `${g.heading} · study ${n} of ${seen.get(g.heading)!}` };
  });
}

/** The group's heading: the patient's name and ID, the study's date and description, each left out when the files do not say. */
function studyHeadingOf(study: SeriesStudy | undefined): string {
  if (!study) return 'Files with no patient or study recorded';
  const patient = study.patientName ?? 'Unnamed patient';
  return [patient, study.patientId && `ID ${study.patientId}`, study.studyDate, study.studyDescription].filter(Boolean).join(' · ');
}
