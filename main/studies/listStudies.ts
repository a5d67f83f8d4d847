import type { RecentSeries, RecentStudy } from '../../core/contract.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { dicomDate, patientId, personName } from '../input/studyInfoOf.js';
import type { StudyDatabase } from './openStudyDatabase.js';

/** How many studies a list answers with: the screen shows a page, search finds the rest. */
const listLimit = 100;

/**
 * The studies most recently opened first, each with its series (by number, then description) and their
 * thumbnails as PNG data URLs. The patient's name and the dates are formatted for reading as the views'
 * corners have them (studyInfoOf: "DOE, JANE M", "2023-01-15"; '' when absent or not a real date; a patient ID that is a UID as none); the
 * list keeps them as the files hold them, so `search` still finds "DOE^JANE". `search` matches, case-insensitively (SQLite's LIKE: ASCII letters),
 * anywhere in the patient's name or ID, the study's or a series' description, or a modality;
 * `%`, `_` and `\` in it are taken literally.
 */
export function listStudies(db: StudyDatabase, search: string | undefined): RecentStudy[] {
  const term = (search ?? '').trim();
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = term
    ? `WHERE patient_name LIKE $p ESCAPE '\\' OR patient_id LIKE $p ESCAPE '\\' OR description LIKE $p ESCAPE '\\'
         OR EXISTS (SELECT 1 FROM series s WHERE s.study_key = studies.key AND (s.description LIKE $p ESCAPE '\\' OR s.modality LIKE $p ESCAPE '\\'))`
    : '';
  const studies: RecentStudy[] = [];
  const statement = db.prepare(
    `SELECT key, source_name, patient_name, patient_id, birth_date, study_date, description, opened_at FROM studies ${where}
     ORDER BY opened_at DESC LIMIT ${listLimit}`,
  );
  try {
    if (term) statement.bind({ $p: pattern });
    while (statement.step()) {
      const row = statement.getAsObject();
      const series = seriesOf(db, String(row.key));
      studies.push({
        key: String(row.key),
        patientName: personName(String(row.patient_name)) ?? '',
        patientId: patientId(String(row.patient_id)) ?? '',
        birthDate: dicomDate(String(row.birth_date)) ?? '',
        studyDate: dicomDate(String(row.study_date)) ?? '',
        description: String(row.description),
        modalities: [...new Set(series.map((s) => s.modality).filter((m) => m !== ''))],
        openedAt: String(row.opened_at),
        sourceName: String(row.source_name),
        series,
      });
    }
  } finally {
    statement.free();
  }
  return studies;
}

function seriesOf(db: StudyDatabase, key: string): RecentSeries[] {
  const statement = db.prepare(
    `SELECT description, number, modality, images, dimensions, thumbnail FROM series WHERE study_key = ?
     ORDER BY number IS NULL, number, description`,
  );
  const series: RecentSeries[] = [];
  try {
    statement.bind([key]);
    while (statement.step()) {
      const row = statement.getAsObject();
      const thumbnail = row.thumbnail instanceof Uint8Array ? `data:image/png;base64,${Buffer.from(row.thumbnail).toString('base64')}` : null;
      series.push({
        description: String(row.description),
        number: row.number === null ? null : Number(row.number),
        modality: String(row.modality),
        images: Number(row.images),
        dimensions: String(row.dimensions).split('x').map(Number) as unknown as Vec3,
        thumbnail,
      });
    }
  } finally {
    statement.free();
  }
  return series;
}
