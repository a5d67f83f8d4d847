import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDicomVolume } from '../../../../main/dicom/loadDicomVolume.js';
import { scanDicom } from '../../../../main/dicom/scanDicom.js';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { orientationLabel } from '../../../../renderer/geometry/orientationLabel.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import type { Mat3, VolumeGeometry } from '../../../../core/geometry/types.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

/** What radiologists expect at the screen edges (left, right, top, bottom). */
const radiological = {
  axial: { left: 'R', right: 'L', top: 'A', bottom: 'P' },
  coronal: { left: 'R', right: 'L', top: 'S', bottom: 'I' },
  sagittal: { left: 'A', right: 'P', top: 'S', bottom: 'I' },
};

describe.skipIf(!hasSharedData)(`planeAxes on real files (${noSharedDataReason})`, () => {
  it('labels a plain LPS axial CT R/L/A/P, S/I, and keeps the stored order on screen', async () => {
    const scan = await scanDicom(sharedData('dicom/ct-abdomen-j2k'));
    const ct = await loadDicomVolume(scan.series[0]!);
    expect(ct.dimensions).toEqual([512, 512, 20]);
    const axial = planeAxes(ct, 'axial');
    expect(axial.markers).toEqual(radiological.axial);
    // An LPS axial CT is already stored in radiological order: columns = i, rows = j, no flips.
    expect([axial.columnAxis, axial.columnFlip, axial.rowAxis, axial.rowFlip, axial.sliceAxis]).toEqual([0, false, 1, false, 2]);
    const coronal = planeAxes(ct, 'coronal');
    expect(coronal.markers).toEqual(radiological.coronal);
    // Superior up: the highest k is the top row.
    expect([coronal.rowAxis, coronal.rowFlip, coronal.sliceAxis]).toEqual([2, true, 1]);
    expect(planeAxes(ct, 'sagittal').markers).toEqual(radiological.sagittal);
  });

  it('gives the aspect ratio from the spacing: 0.977 mm pixels axially, 0.977 × 2 mm coronally and sagittally', async () => {
    const { volume } = await readNifti(sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz'));
    const axial = planeAxes(volume, 'axial');
    const coronal = planeAxes(volume, 'coronal');
    const sagittal = planeAxes(volume, 'sagittal');
    expect(axial.columnSpacing).toBeCloseTo(0.977, 3);
    expect(axial.rowSpacing).toBeCloseTo(0.977, 3);
    expect(coronal.columnSpacing).toBeCloseTo(0.977, 3);
    expect(coronal.rowSpacing).toBeCloseTo(2, 6);
    expect(sagittal.rowSpacing).toBeCloseTo(2, 6);
    expect([coronal.rows, coronal.columns]).toEqual([20, 512]);
    // dcm2niix stores it LAS (j runs towards anterior), so the axial view flips the rows back.
    expect([axial.columnFlip, axial.rowFlip]).toEqual([false, true]);
    expect(axial.markers).toEqual(radiological.axial);
  });

  it('labels every one of the 8 storage orders identically, with the same screen size and pixel spacing', async () => {
    const dir = sharedData('nifti/orientations');
    const files = readdirSync(dir).filter((f) => f.endsWith('.nii.gz'));
    expect(files).toHaveLength(8);
    for (const file of files) {
      const { volume } = await readNifti(`${dir}/${file}`);
      for (const view of ['axial', 'coronal', 'sagittal'] as const) {
        const axes = planeAxes(volume, view);
        expect(axes.markers, `${file} ${view}`).toEqual(radiological[view]);
        const x = { rows: axes.rows, columns: axes.columns, slices: axes.slices };
        // In every file x (R→L) has 64 voxels of 2.385 mm, y (A→P) 79 of 2.390 mm, z (I→S) 67 of 2.366 mm.
        const expected = {
          axial: { rows: 79, columns: 64, slices: 67, columnSpacing: 2.385, rowSpacing: 2.39 },
          coronal: { rows: 67, columns: 64, slices: 79, columnSpacing: 2.385, rowSpacing: 2.366 },
          sagittal: { rows: 67, columns: 79, slices: 64, columnSpacing: 2.39, rowSpacing: 2.366 },
        }[view];
        expect(x, `${file} ${view}`).toEqual({ rows: expected.rows, columns: expected.columns, slices: expected.slices });
        expect(axes.columnSpacing).toBeCloseTo(expected.columnSpacing, 2);
        expect(axes.rowSpacing).toBeCloseTo(expected.rowSpacing, 2);
      }
    }
  });

  it('labels the 19° oblique FLAIR by its nearest axes, though its screen directions are oblique', async () => {
    const { volume } = await readNifti(sharedData('nifti/niivue/FLAIR.nii.gz'));
    for (const view of ['axial', 'coronal', 'sagittal'] as const) {
      const axes = planeAxes(volume, view);
      expect(axes.markers, view).toEqual(radiological[view]);
    }
    const axial = planeAxes(volume, 'axial');
    // Screen-down leans ~18° towards superior: oblique, yet under the 22.5° that would add a letter.
    expect(Math.abs(axial.screenDown[2])).toBeGreaterThan(0.3);
    expect(axial.screenDown[1]).toBeGreaterThan(0.9);
  });
});

describe('planeAxes and orientationLabel on hand-built geometry', () => {
  const rotatedAboutZ = (degrees: number): VolumeGeometry => {
    const t = (degrees * Math.PI) / 180;
    const direction: Mat3 = [
      [Math.cos(t), Math.sin(t), 0],
      [-Math.sin(t), Math.cos(t), 0],
      [0, 0, 1],
    ];
    return { dimensions: [10, 20, 30], spacing: [1, 2, 3], origin: [0, 0, 0], direction };
  };

  it('names a 45° oblique axis by two letters, the stronger first', () => {
    const axial = planeAxes(rotatedAboutZ(40), 'axial');
    // i runs 40° from L towards P: its screen edge reads 'LP' on the right, 'RA' on the left.
    expect(axial.markers.right).toBe('LP');
    expect(axial.markers.left).toBe('RA');
    expect(axial.markers.top).toBe('AL');
    expect(axial.markers.bottom).toBe('PR');
  });

  it('keeps single letters below 22.5° and adds the second at it', () => {
    expect(orientationLabel([Math.cos(0.39), Math.sin(0.39), 0])).toBe('L');
    expect(orientationLabel([Math.cos(0.4), -Math.sin(0.4), 0])).toBe('LA');
    expect(orientationLabel([0.1, -0.2, -0.97])).toBe('I');
    expect(orientationLabel([0.6, 0.6, 0.53])).toBe('LPS');
  });

  it('picks the slice axis nearest the view normal even when the index axes are permuted', () => {
    const geometry: VolumeGeometry = {
      dimensions: [30, 40, 50],
      spacing: [3, 4, 5],
      origin: [0, 0, 0],
      // i runs inferior, j anterior, k left.
      direction: [
        [0, 0, -1],
        [0, -1, 0],
        [1, 0, 0],
      ],
    };
    const axial = planeAxes(geometry, 'axial');
    expect([axial.sliceAxis, axial.columnAxis, axial.rowAxis]).toEqual([0, 2, 1]);
    expect([axial.columnFlip, axial.rowFlip, axial.sliceForward]).toEqual([false, true, -1]);
    expect([axial.rows, axial.columns, axial.rowSpacing, axial.columnSpacing]).toEqual([40, 50, 4, 5]);
    expect(planeAxes(geometry, 'sagittal').sliceAxis).toBe(2);
    expect(planeAxes(geometry, 'coronal').sliceAxis).toBe(1);
  });
});
