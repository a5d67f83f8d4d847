import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clearRecent } from '../../../main/app/clearRecent.js';
import { createStudyList, studyListFileName } from '../../../main/studies/createStudyList.js';
import { openStudyDatabase } from '../../../main/studies/openStudyDatabase.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf } from '../services/appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-clear-recent-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const patient = {
  path: '/studies/doe',
  studyUid: '1.2.3',
  patientName: 'DOE^JANE',
  patientId: 'P-001',
  birthDate: '19700101',
  studyDate: '20240315',
  description: 'CT abdomen',
  series: { key: '1.2.3.1', description: 'Axial', number: 3, modality: 'CT', images: 2, dimensions: [4, 4, 2] as const, thumbnail: null },
};

describe('clearRecent: File › Recent › Clear Recent', () => {
  it("empties the menu's recent.json and the welcome screen's study list, names and birth dates gone from its file", async () => {
    const dataDir = mkdtempSync(join(scratch, 'data-'));
    const recentFile = join(dataDir, 'recent.json');
    writeFileSync(recentFile, JSON.stringify(['/studies/doe']));
    const list = createStudyList(dataDir);
    await list.record({ ...patient, series: { ...patient.series, dimensions: [4, 4, 2] } });
    await list.flush();
    const logged: unknown[] = [];
    await clearRecent({
      recentFile,
      services: { clearRecentStudies: () => list.clear().then(() => list.flush()) },
      logError: (error) => logged.push(error),
    });
    await list.close();
    expect(JSON.parse(readFileSync(recentFile, 'utf8'))).toEqual([]);
    expect(readFileSync(join(dataDir, 'recent-studies.sqlite')).includes('DOE^JANE')).toBe(false);
    const again = createStudyList(dataDir);
    expect(await again.list()).toEqual([]);
    await again.close();
    expect(logged).toEqual([]);
  });

  it('clears the study list even when recent.json cannot be written, and says so', async () => {
    const dataDir = mkdtempSync(join(scratch, 'data-'));
    mkdirSync(join(dataDir, 'recent.json'));
    let cleared = 0;
    const logged: unknown[] = [];
    await clearRecent({
      recentFile: join(dataDir, 'recent.json'),
      services: { clearRecentStudies: async () => void cleared++ },
      logError: (e) => logged.push(e),
    });
    expect(cleared).toBe(1);
    expect(logged).toHaveLength(1);
  });

  it("says a newer version's study list could not be cleared, and its names stay listed rather than come back at the next start", async () => {
    const dataDir = mkdtempSync(join(scratch, 'data-'));
    const first = createStudyList(dataDir);
    await first.record(patient);
    await first.close();
    // A newer Axial raises the layout's version and changes nothing else.
    const file = join(dataDir, studyListFileName);
    const { db } = await openStudyDatabase(file);
    db.exec('PRAGMA user_version = 2');
    writeFileSync(file, db.export());
    db.close();
    const list = createStudyList(dataDir, { logError: () => undefined });
    const logged: unknown[] = [];
    await clearRecent({
      recentFile: join(dataDir, 'recent.json'),
      services: { clearRecentStudies: () => list.clear().then(() => list.flush()) },
      logError: (e) => logged.push(e),
    });
    expect(logged).toEqual([expect.objectContaining({ code: 'OUTPUT_WRITE_FAILED', message: expect.stringMatching(/newer version of Axial/) })]);
    expect(await list.list()).toHaveLength(1);
    await list.close();
    expect(readFileSync(file).includes('DOE^JANE')).toBe(true);
  });
});

describe.skipIf(!hasSharedData)(`AppServices.clearRecentStudies (${noSharedDataReason})`, () => {
  it('empties studies:list of a study just loaded', async () => {
    const study = mkdtempSync(join(scratch, 'study-'));
    copyFileSync(sharedData('nifti/niivue/lesion.nii.gz'), join(study, 'lesion.nii.gz'));
    const h = createHarness({ dataDir: mkdtempSync(join(scratch, 'data-')) });
    try {
      h.answerNextOpen(join(study, 'lesion.nii.gz'));
      const scan = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
      valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
      expect(valueOf(await h.services.invoke('studies:list', {})).studies).toHaveLength(1);
      await h.services.clearRecentStudies();
      expect(valueOf(await h.services.invoke('studies:list', {})).studies).toEqual([]);
    } finally {
      await h.services.dispose();
    }
  });
});
