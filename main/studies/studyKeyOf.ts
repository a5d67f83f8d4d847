import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';

/** What names a study: its UID and patient, or the input it was opened from. */
export interface StudyKeySource {
  readonly studyUid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly path: string;
}

/**
 * A study's key: a hash of its UID with the patient's ID and name, or of its input's real path when it has no UID
 * (so none of these travels to the page as is). The patient is part of it because anonymisers often give studies of
 * different patients one UID: those stay two rows, each with its own patient and series. The path is taken after
 * symlinks (fs.realpath), so one NIfTI opened through a symlinked folder is one row, not two; a path that is no
 * longer there is keyed as written. A path without symlinks keys as earlier versions keyed it (its resolved text).
 */
export async function studyKeyOf(study: StudyKeySource): Promise<string> {
  const source = study.studyUid
    ? JSON.stringify(['uid', study.studyUid, study.patientId, study.patientName])
    : `path:${await realpath(study.path).catch(() => resolve(study.path))}`;
  return createHash('sha256').update(source).digest('hex').slice(0, 32);
}
