import { describe, expect, it } from 'vitest';
import { createStudyList, type OpenedStudy } from '../../../main/studies/createStudyList.js';

/** A study as the files hold it: PN, DA, and an ID that an anonymiser may have made a UID. */
function study(patientId: string, path: string): OpenedStudy {
  return {
    path,
    studyUid: `1.2.3.${path.length}`,
    patientName: 'DOE^JANE',
    patientId,
    birthDate: '19700101',
    studyDate: '20230115',
    description: 'CT ABDOMEN',
    series: { key: `1.2.3.4.${path.length}`, description: 'AXIAL', number: 2, modality: 'CT', images: 5, dimensions: [40, 32, 5], thumbnail: null },
  };
}

describe('listStudies', () => {
  it('lists the patient as the views’ corners show them: a name for reading, and no patient ID that is a UID', async () => {
    const list = createStudyList(undefined);
    await list.record(study('1.2.840.113619.2.55.3.2831164355', '/studies/anonymised'));
    await list.record(study('AX-0042', '/studies/named'));
    const rows = await list.list();
    expect(rows.map((r) => [r.patientName, r.patientId, r.birthDate, r.studyDate])).toEqual([
      ['DOE, JANE', 'AX-0042', '1970-01-01', '2023-01-15'],
      ['DOE, JANE', '', '1970-01-01', '2023-01-15'],
    ]);
    // Search still reads the ID as the files hold it.
    expect((await list.list('2831164355')).map((r) => r.patientId)).toEqual(['']);
    await list.close();
  });
});
