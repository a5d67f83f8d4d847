import { describe, expect, it } from 'vitest';
import { ageAt, overlayLines, screenText, windowText, zoomText, type OverlayFacts } from '../../../../../renderer/views/overlays/overlayLines.js';

const base: OverlayFacts = {
  study: {},
  description: '',
  slice: { index: 149, count: 300 },
  time: null,
  locationMm: -123.46,
  thicknessMm: 2,
  sliceSpacingMm: 2,
  slab: null,
  voi: { center: 40, width: 400 },
  zoom: 1.5,
};

describe('overlayLines', () => {
  it('puts patient top left, study and series top right, slice bottom left, window and zoom bottom right', () => {
    const corners = overlayLines({
      ...base,
      description: 'ignored when the study names its series',
      study: {
        patientName: 'DOE, JANE',
        patientId: 'AX-0042',
        patientBirthDate: '1970-02-03',
        patientSex: 'F',
        studyDate: '2023-01-15',
        studyTime: '10:15',
        studyDescription: 'CT ABDOMEN',
        seriesNumber: 3,
        seriesDescription: 'Abdomen 2.0',
      },
    });
    expect(corners).toEqual({
      topLeft: ['DOE, JANE', 'ID AX-0042', 'DOB 1970-02-03 (52 y) F'],
      topRight: ['2023-01-15 10:15', 'CT ABDOMEN', 'Se 3 · Abdomen 2.0'],
      bottomLeft: ['Im 150/300', 'Loc −123.5 mm', 'Thk 2.0 mm'],
      bottomRight: ['W 400 L 40', 'Zoom 1.5×'],
    });
  });

  it('says which time point of a 4D series is shown, under the image number', () => {
    expect(overlayLines({ ...base, time: { index: 2, count: 40 } }).bottomLeft).toEqual(['Im 150/300', 't 3/40', 'Loc −123.5 mm', 'Thk 2.0 mm']);
  });

  it('shows only what exists: a NIfTI gets its file name and no patient, an oblique plane no image number, a slab its name', () => {
    const corners = overlayLines({ ...base, description: 'example_ct_sm.nii.gz', slice: null, slab: 'MIP', thicknessMm: 10, locationMm: 0.04 });
    expect(corners.topLeft).toEqual([]);
    expect(corners.topRight).toEqual(['example_ct_sm.nii.gz']);
    expect(corners.bottomLeft).toEqual(['Loc 0.0 mm', 'MIP 10.0 mm']);
    expect(overlayLines({ ...base, study: { patientSex: 'M', seriesNumber: 4 } }).topLeft).toEqual(['M']);
    expect(overlayLines({ ...base, study: { seriesNumber: 4 } }).topRight).toEqual(['Se 4']);
    expect(overlayLines({ ...base, thicknessMm: 0.625 }).bottomLeft[2]).toBe('Thk 0.63 mm');
    // A micro-CT's 20 µm slices: the next slice's location reads differently, and a 0.5 µm slice is not 0.00 mm.
    const micro = { ...base, sliceSpacingMm: 0.02 };
    expect(overlayLines({ ...micro, locationMm: 0.62, thicknessMm: 0.02 }).bottomLeft.slice(1)).toEqual(['Loc 0.62 mm', 'Thk 0.02 mm']);
    expect(overlayLines({ ...base, sliceSpacingMm: 0.0005, locationMm: 0.0095, thicknessMm: 0.0005 }).bottomLeft.slice(1)).toEqual([
      'Loc 0.0095 mm',
      'Thk 0.0005 mm',
    ]);
    // The decimals follow the slices' spacing, not a file's SliceThickness nor a slab's.
    expect(overlayLines({ ...micro, locationMm: 0.62, thicknessMm: 1 }).bottomLeft.slice(1)).toEqual(['Loc 0.62 mm', 'Thk 1.0 mm']);
    expect(overlayLines({ ...micro, locationMm: 0.62, thicknessMm: 10, slab: 'MIP' }).bottomLeft.slice(1)).toEqual(['Loc 0.62 mm', 'MIP 10.0 mm']);
  });

  it('rounds the window as a reader needs it and the zoom to two decimals', () => {
    expect(windowText({ center: -6.88, width: 447.55 })).toBe('W 448 L −7');
    expect(windowText({ center: 0.5, width: 0.8 })).toBe('W 0.8 L 0.5');
    expect(windowText({ center: -0.2, width: 400 })).toBe('W 400 L 0');
    // The same rounding as the preset bar's formatWindow, three decimals under a width of 0.1.
    expect(windowText({ center: -0.01, width: 0.05 })).toBe('W 0.050 L −0.010');
    expect(zoomText(1.5)).toBe('Zoom 1.5×');
    expect(zoomText(0.58642)).toBe('Zoom 0.59×');
    expect(zoomText(2)).toBe('Zoom 2×');
  });

  it('gives the age at the study in years, or months under one year', () => {
    expect(ageAt('1970-02-03', '2023-01-15')).toBe('52 y');
    expect(ageAt('1970-01-15', '2023-01-15')).toBe('53 y');
    expect(ageAt('2022-05-20', '2023-01-15')).toBe('7 mo');
    expect(ageAt('2024-01-01', '2023-01-15')).toBeNull();
  });

  it('keeps UIDs, long digit runs and control characters off the screen', () => {
    expect(screenText('Series 1.2.840.113619.2.55 axial')).toBe('Series axial');
    expect(screenText('Acc 123456789012345678')).toBe('Acc …345678');
    expect(screenText('a\u001b[2Jb\n c')).toBe('a [2Jb c');
    const corners = overlayLines({ ...base, study: { patientId: '9876543210123456', studyDescription: '1.2.3.4.5.6' } });
    expect(corners.topLeft).toEqual(['ID …123456']);
    expect(corners.topRight).toEqual([]);
  });
});
