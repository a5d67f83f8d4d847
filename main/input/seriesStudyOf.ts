import type { SeriesStudy } from '../../core/contract.js';
import type { DicomInstance } from '../dicom/DicomInstance.js';
import { dicomDate, patientId, personName } from './studyInfoOf.js';

/**
 * The patient and study of a series' first file, for the series picker: formatted as studyInfoOf formats
 * them for the views' corners ("DOE, JANE", "2023-01-15"), a fact that is absent, empty or not valid left
 * out, as is a patient ID that is a UID.
 */
export function seriesStudyOf(first: Pick<DicomInstance, 'patientName' | 'patientId' | 'studyDate' | 'studyDescription'>, index: number): SeriesStudy {
  const facts = {
    patientName: personName(first.patientName),
    patientId: patientId(first.patientId),
    studyDate: dicomDate(first.studyDate),
    studyDescription: first.studyDescription.trim(),
  };
  return { index, ...Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined && value !== '')) };
}
