import type { StudyInfo } from '../../core/contract.js';
import type { Volume } from '../volume/Volume.js';

/**
 * The patient, study and series facts the views' corners show, formatted for reading: DICOM dates
 * (DA "20230115", or ACR-NEMA's "2023.01.15") as "2023-01-15", times (TM "101530.123") as "10:15",
 * a person name (PN "DOE^JOHN^A") as "DOE, JOHN A". A field that is absent, empty or not a valid
 * value is left out (never an empty string), as is a patient ID that is a UID. NIfTI and NRRD files
 * carry none of these: their study is empty (the renderer shows the file name as the description).
 */
export function studyInfoOf(volume: Volume): StudyInfo {
  const meta = volume.metadata;
  if (meta.format !== 'dicom') return {};
  const fields: Record<string, string | number | undefined> = {
    patientName: personName(meta.patientName),
    patientId: patientId(meta.patientId),
    patientBirthDate: dicomDate(meta.patientBirthDate),
    patientSex: sex(meta.patientSex),
    studyDate: dicomDate(meta.studyDate),
    studyTime: dicomTime(meta.studyTime),
    studyDescription: meta.studyDescription?.trim(),
    seriesNumber: Number.isFinite(meta.seriesNumber) ? meta.seriesNumber : undefined,
    seriesDescription: meta.seriesDescription?.trim(),
    sliceThickness: meta.sliceThickness !== undefined && meta.sliceThickness > 0 ? meta.sliceThickness : undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')) as StudyInfo;
}

/** "DOE^JOHN^A^^" as "DOE, JOHN A": the family name, then the given and middle names (prefix and suffix left out). */
export function personName(value: string | undefined): string | undefined {
  // PN may hold alphabetic=ideographic=phonetic groups: the first non-empty one is the one readers type.
  const group = (value ?? '').split('=').find((g) => g.trim() !== '') ?? '';
  const [family = '', given = '', middle = ''] = group.split('^').map((part) => part.trim());
  const rest = [given, middle].filter(Boolean).join(' ');
  const name = family && rest ? `${family}, ${rest}` : family || rest;
  return name || undefined;
}

/** A DICOM DA (YYYYMMDD, or YYYY.MM.DD as ACR-NEMA wrote it) as YYYY-MM-DD, when it is a real calendar date. */
export function dicomDate(value: string | undefined): string | undefined {
  const match = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec((value ?? '').trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const real = date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
  return real ? `${y}-${m}-${d}` : undefined;
}

/** A DICOM TM (HHMMSS.FFFFFF, HHMM, or ACR-NEMA's HH:MM:SS) as HH:MM, hours and minutes being what a reader compares. */
export function dicomTime(value: string | undefined): string | undefined {
  const match = /^(\d{2}):?(\d{2})(?::?\d{2}(?:\.\d{1,6})?)?$/.exec((value ?? '').trim());
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return undefined;
  return `${match[1]}:${match[2]}`;
}

function sex(value: string | undefined): string | undefined {
  const code = (value ?? '').trim().toUpperCase();
  return code === 'M' || code === 'F' || code === 'O' ? code : undefined;
}

/** A patient ID as readers are shown it: an anonymiser may put a UID where the ID was, and that is no ID for a reader (no raw UID goes on screen). */
export function patientId(value: string | undefined): string | undefined {
  const id = (value ?? '').trim();
  return id && !/^\d+(\.\d+){3,}$/.test(id) ? id : undefined;
}
