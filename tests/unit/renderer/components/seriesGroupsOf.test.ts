import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ScanResult, SeriesSummary } from '../../../../core/contract.js';
import { seriesGroupsOf } from '../../../../renderer/components/seriesGroupsOf.js';
import { SeriesPicker } from '../../../../renderer/components/StatusPanels.js';

/** A DICOMDIR of two patients, each with a "Se 2 · AXIAL" CT series of 5 images (as main sends it). */
const axial: SeriesSummary = { index: 1, uid: '1.2.3.1', description: 'AXIAL', modality: 'CT', format: 'dicom', files: 5, seriesNumber: 2, images: 5 };
const jane: SeriesSummary = {
  ...axial,
  study: { index: 1, patientName: 'DOE, JANE', patientId: 'P1', studyDate: '2023-01-15', studyDescription: 'CT ABDOMEN' },
};
const richard: SeriesSummary = { ...axial, index: 2, uid: '1.2.3.2', study: { index: 2, patientName: 'ROE, RICHARD', studyDate: '2022-03-01' } };
const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' | ');

describe('seriesGroupsOf', () => {
  it('heads each patient and study with name, ID, date and description, in the order their first series comes', () => {
    const venous = { ...jane, index: 3, uid: '1.2.3.3', description: 'VENOUS' };
    const groups = seriesGroupsOf([jane, richard, venous]);
    expect(groups.map((g) => [g.heading, g.series.map((s) => s.index)])).toEqual([
      ['DOE, JANE · ID P1 · 2023-01-15 · CT ABDOMEN', [1, 3]],
      ['ROE, RICHARD · 2022-03-01', [2]],
    ]);
  });

  it('keeps two studies apart whose facts read the same, and names a patient with no name', () => {
    const twin = { ...jane, index: 2, study: { ...jane.study!, index: 2 } };
    expect(seriesGroupsOf([jane, twin]).map((g) => [g.series.length, g.heading])).toEqual([
      [1, 'DOE, JANE · ID P1 · 2023-01-15 · CT ABDOMEN · study 1 of 2'],
      [1, 'DOE, JANE · ID P1 · 2023-01-15 · CT ABDOMEN · study 2 of 2'],
    ]);
    expect(seriesGroupsOf([jane, { ...richard, study: { index: 2 } }])[1]!.heading).toBe('Unnamed patient');
  });

  it('puts NIfTI files beside DICOM studies under their own heading', () => {
    const nifti: SeriesSummary = { index: 3, uid: '', description: 'brain.nii.gz', modality: '', format: 'nifti', files: 1 };
    expect(seriesGroupsOf([jane, richard, nifti]).map((g) => g.heading)).toEqual([
      'DOE, JANE · ID P1 · 2023-01-15 · CT ABDOMEN',
      'ROE, RICHARD · 2022-03-01',
      'Files with no patient or study recorded',
    ]);
  });

  it('is one group with no heading for a scan of one study (main then sends no study)', () => {
    const one = { ...axial, index: 2, seriesNumber: 3 };
    expect(seriesGroupsOf([axial, one])).toEqual([{ key: 'all', heading: null, series: [axial, one] }]);
  });
});

describe('SeriesPicker', () => {
  it('tells the two patients of a DICOMDIR apart: each row under its patient and study', () => {
    const scan: ScanResult = { scanId: 's', name: 'DICOMDIR', skipped: 0, series: [jane, richard] };
    const html = renderToStaticMarkup(createElement(SeriesPicker, { scan, onPick: () => undefined, onClose: () => undefined }));
    expect(text(html)).toBe(
      'DICOMDIR: choose a series | DOE, JANE · ID P1 · 2023-01-15 · CT ABDOMEN | Se 2 · AXIAL | · CT · 5 images | ' +
        'ROE, RICHARD · 2022-03-01 | Se 2 · AXIAL | · CT · 5 images | Cancel',
    );
    expect(html).toContain('<h3 class="series-study" data-testid="series-study">ROE, RICHARD · 2022-03-01</h3>');
    expect(html).not.toContain('1.2.3');
  });
});
