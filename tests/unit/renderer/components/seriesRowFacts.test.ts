import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ScanResult, SeriesSummary } from '../../../../core/contract.js';
import { SeriesPicker } from '../../../../renderer/components/StatusPanels.js';
import { seriesRowFacts } from '../../../../renderer/components/seriesRowFacts.js';

const base: SeriesSummary = { index: 1, uid: '1.2.3', description: 'B0 NS', modality: 'MR', format: 'dicom', files: 1 };
const row = (s: Partial<SeriesSummary>): string => {
  const { title, facts } = seriesRowFacts({ ...base, ...s });
  return [title, ...facts].join(' · ');
};

describe('seriesRowFacts', () => {
  it('tells apart rows that read "B0 NS · MR · 1 file" twice: series number, images, matrix, derived', () => {
    const a = row({ seriesNumber: 4, images: 1, dimensions: [128, 128, 1] });
    const b = row({ index: 2, seriesNumber: 5, images: 1, dimensions: [128, 128, 1], derived: true });
    expect(a).toBe('Se 4 · B0 NS · MR · 1 image · 128×128×1');
    expect(b).toBe('Se 5 · B0 NS · MR · 1 image · 128×128×1 · derived');
  });

  it('says the time points of a 4D series and the echo once', () => {
    expect(row({ description: 'REST1', seriesNumber: 9, images: 12000, dimensions: [64, 64, 30], timePoints: 400 })).toBe(
      'Se 9 · REST1 · MR · 12000 images · 64×64×30 · 400 time points',
    );
    expect(row({ description: 'T2 · echo 2', echo: 2, images: 30 })).toBe('T2 · echo 2 · MR · 30 images');
    expect(row({ description: 'T2', echo: 2, images: 30 })).toBe('T2 · MR · 30 images · echo 2');
  });

  it('leaves out what the files do not say: a NIfTI by its file name, format and files; no description gives "Series N"', () => {
    expect(row({ description: 'brain.nii.gz', modality: '', format: 'nifti', uid: '' })).toBe('brain.nii.gz · NIFTI · 1 file');
    expect(row({ description: '', index: 3, files: 20 })).toBe('Series 3 · MR · 20 files');
    expect(row({ description: '', seriesNumber: 3, images: 20 })).toBe('Se 3 · MR · 20 images');
  });

  it('is what the picker shows, with no UID', () => {
    const scan: ScanResult = {
      scanId: 's',
      name: 'study',
      skipped: 0,
      series: [
        { ...base, seriesNumber: 7, description: 'REST fMRI', images: 48, dimensions: [512, 512, 12], timePoints: 4 },
        { ...base, index: 2, seriesNumber: 8, images: 12 },
      ],
    };
    const html = renderToStaticMarkup(createElement(SeriesPicker, { scan, onPick: () => undefined, onClose: () => undefined }));
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('Se 7 · REST fMRI · MR · 48 images · 512×512×12 · 4 time points');
    expect(text).toContain('Se 8 · B0 NS · MR · 12 images');
    expect(html).not.toContain('1.2.3');
  });
});
