import { describe, expect, it } from 'vitest';
import { slabSampleOffsets } from '../../../../renderer/reslice/reslicePlane.js';
import { slabLabel } from '../../../../renderer/reslice/slabLabel.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import type { VolumeGeometry } from '../../../../core/geometry/types.js';

describe('slabLabel', () => {
  it('gives the thickness the slab covers (samples × spacing), not the one typed', () => {
    // Audit B's cases: 5 mm of 2 mm slices is 3 slices, 6 mm; 4 mm too (centred, not slices 0…+1); 20 mm is 11, 22 mm.
    expect(slabLabel({ mode: 'mip', thicknessMm: 5 }, 2)).toEqual({ name: 'MIP', samples: 3, thicknessMm: 6, text: 'MIP 6.0 mm (3 slices)' });
    expect(slabLabel({ mode: 'minip', thicknessMm: 4 }, 2)).toEqual({ name: 'MinIP', samples: 3, thicknessMm: 6, text: 'MinIP 6.0 mm (3 slices)' });
    expect(slabLabel({ mode: 'mean', thicknessMm: 20 }, 2)).toEqual({ name: 'Mean', samples: 11, thicknessMm: 22, text: 'Mean 22.0 mm (11 slices)' });
    // An oblique plane's 0.977 mm steps.
    const oblique = slabLabel({ mode: 'mip', thicknessMm: 5 }, 0.9765625);
    expect([oblique.samples, oblique.thicknessMm, oblique.text]).toEqual([5, 4.8828125, 'MIP 4.9 mm (5 slices)']);
    for (const samples of [3, 5, 11]) expect(slabSampleOffsets(samples)).toEqual({ first: -(samples - 1) / 2, last: (samples - 1) / 2 });
  });

  it('counts a gantry-tilted CT’s axial slices by the 2 mm between them, not the 2.071 mm step along the tilted slice axis', () => {
    // The CT's grid written 15° tilted (tests/e2e/support/writeTiltedCt): k steps 2/cos 15° mm along (0, sin 15°, cos 15°).
    const tilt = (15 * Math.PI) / 180;
    const tilted: VolumeGeometry = {
      dimensions: [512, 512, 20],
      spacing: [0.9765625, 0.9765625, 2 / Math.cos(tilt)],
      origin: [-250, -250, -100],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, Math.sin(tilt), Math.cos(tilt)],
      ],
    };
    const axial = planeAxes(tilted, 'axial');
    expect(axial.sliceSpacing).toBeCloseTo(2, 12);
    // It said "no MIP: 2 mm is thinner than one slice (2.1 mm)" and "MIP 6.2 mm (3 slices)".
    expect(slabLabel({ mode: 'mip', thicknessMm: 2 }, axial.sliceSpacing).text).toBe('no MIP: 2 mm is nearer one slice (2.0 mm) than three (6.0 mm)');
    const six = slabLabel({ mode: 'mip', thicknessMm: 6 }, axial.sliceSpacing);
    expect([six.samples, six.text]).toEqual([3, 'MIP 6.0 mm (3 slices)']);
    expect(six.thicknessMm).toBeCloseTo(6, 12);
    // A spacing a rounding error off still counts a tie as the thicker slab, and one slice's thickness as not thinner than one slice.
    expect(slabLabel({ mode: 'mip', thicknessMm: 4 }, 2 * (1 + 1e-15)).samples).toBe(3);
    expect(slabLabel({ mode: 'mip', thicknessMm: 2 }, 2 * (1 + 1e-15)).text).toBe('no MIP: 2 mm is nearer one slice (2.0 mm) than three (6.0 mm)');
  });

  it('says plainly when the thickness asked for gives one slice, and why', () => {
    expect(slabLabel({ mode: 'mip', thicknessMm: 1 }, 2)).toEqual({
      name: 'MIP',
      samples: 1,
      thicknessMm: 2,
      text: 'no MIP: 1 mm is thinner than one slice (2.0 mm)',
    });
    expect(slabLabel({ mode: 'mip', thicknessMm: 7 }, 5).text).toBe('no MIP: 7 mm is nearer one slice (5.0 mm) than three (15.0 mm)');
    expect(slabLabel({ mode: 'mean', thicknessMm: 10 }, 6).text).toBe('no Mean: 10 mm is nearer one slice (6.0 mm) than three (18.0 mm)');
    expect(slabLabel({ mode: 'mip', thicknessMm: 0.5 }, 0.625).text).toBe('no MIP: 0.5 mm is thinner than one slice (0.63 mm)');
  });

  it('says nothing without a slab', () => {
    expect(slabLabel({ mode: 'mip', thicknessMm: 0 }, 2)).toEqual({ name: 'MIP', samples: 1, thicknessMm: 2, text: null });
  });
});
