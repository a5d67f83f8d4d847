import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RecentStudy } from '../../../../core/contract.js';
import { RecentStudiesRow } from '../../../../renderer/components/RecentStudiesRow.js';

const study: RecentStudy = {
  key: '0123456789abcdef0123456789abcdef',
  // As main sends them: formatted by main/input/studyInfoOf's personName and dicomDate.
  patientName: 'DOE, JANE M',
  patientId: 'AX-0042',
  birthDate: '1970-02-03',
  studyDate: '2023-01-15',
  description: 'CT ABDOMEN',
  modalities: ['CT'],
  openedAt: '2026-12-05T16:00:00.000Z',
  sourceName: 'abdomen-ct',
  series: [
    { description: 'Abdomen 3.0', number: 3, modality: 'CT', images: 20, dimensions: [512, 512, 20], thumbnail: 'data:image/png;base64,AAAA' },
    { description: '', number: null, modality: 'CT', images: 1, dimensions: [512, 512, 1], thumbnail: null },
  ],
};

describe('RecentStudiesRow', () => {
  it('shows the patient, dates and series as people read them, with labelled Open and Remove, and no key', () => {
    const html = renderToStaticMarkup(createElement(RecentStudiesRow, { study, onOpen: () => undefined, onRemove: () => undefined }));
    expect(html).toContain('DOE, JANE M<span class="recent-study-id"> · AX-0042</span><span class="recent-study-id"> · born 1970-02-03</span>');
    expect(html).toContain('<span data-testid="recent-study-date">2023-01-15</span>');
    expect(html).toContain('<img src="data:image/png;base64,AAAA" alt="3 · Abdomen 3.0" data-testid="recent-study-thumbnail"/>');
    expect(html).toContain('title="3 · Abdomen 3.0: 20 images, 512 × 512 × 20"');
    expect(html).toContain('title="CT: 1 image, 512 × 512 × 1"');
    expect(html).toContain('aria-label="Open DOE, JANE M, 2023-01-15, CT ABDOMEN"');
    expect(html).toContain('aria-label="Remove from list: DOE, JANE M, 2023-01-15, CT ABDOMEN"');
    expect(html).not.toContain(study.key);
  });

  it('names a study without patient or description by its file', () => {
    const nifti = { ...study, patientName: '', patientId: '', birthDate: '', studyDate: '', description: '', sourceName: 'brain.nii.gz' };
    const html = renderToStaticMarkup(createElement(RecentStudiesRow, { study: nifti, onOpen: () => undefined, onRemove: () => undefined }));
    expect(html).toContain('Unnamed patient');
    expect(html).toContain('No study date');
    expect(html).toContain('<span data-testid="recent-study-description">brain.nii.gz</span>');
  });
});
