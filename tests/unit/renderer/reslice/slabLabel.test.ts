import { describe, expect, it } from 'vitest';
import { slabSampleOffsets } from '../../../../renderer/reslice/reslicePlane.js';
import { slabLabel } from '../../../../renderer/reslice/slabLabel.js';

describe('slabLabel', () => {
  it('gives the thickness the slab covers (samples × spacing), not the one typed', () => {
    // Audit B's cases: 5 mm of 2 mm slices is 3 slices, 6 mm; 4 mm too (centred, not slices 0…+1); 20 mm is 11, 22 mm.
    expect(slabLabel({ mode: 'mip', thicknessMm: 5 }, 2)).toEqual({ samples: 3, thicknessMm: 6, text: 'MIP 6.0 mm (3 slices)' });
    expect(slabLabel({ mode: 'minip', thicknessMm: 4 }, 2)).toEqual({ samples: 3, thicknessMm: 6, text: 'MinIP 6.0 mm (3 slices)' });
    expect(slabLabel({ mode: 'mean', thicknessMm: 20 }, 2)).toEqual({ samples: 11, thicknessMm: 22, text: 'Mean 22.0 mm (11 slices)' });
    // An oblique plane's 0.977 mm steps.
    const oblique = slabLabel({ mode: 'mip', thicknessMm: 5 }, 0.9765625);
    expect([oblique.samples, oblique.thicknessMm, oblique.text]).toEqual([5, 4.8828125, 'MIP 4.9 mm (5 slices)']);
    for (const samples of [3, 5, 11]) expect(slabSampleOffsets(samples)).toEqual({ first: -(samples - 1) / 2, last: (samples - 1) / 2 });
  });

  it('says plainly when the thickness asked for gives one slice, and why', () => {
    expect(slabLabel({ mode: 'mip', thicknessMm: 1 }, 2)).toEqual({ samples: 1, thicknessMm: 2, text: 'no MIP: 1 mm is thinner than one slice (2.0 mm)' });
    expect(slabLabel({ mode: 'mip', thicknessMm: 7 }, 5).text).toBe('no MIP: 7 mm is nearer one slice (5.0 mm) than three (15.0 mm)');
    expect(slabLabel({ mode: 'mean', thicknessMm: 10 }, 6).text).toBe('no Mean: 10 mm is nearer one slice (6.0 mm) than three (18.0 mm)');
    expect(slabLabel({ mode: 'mip', thicknessMm: 0.5 }, 0.625).text).toBe('no MIP: 0.5 mm is thinner than one slice (0.63 mm)');
  });

  it('says nothing without a slab', () => {
    expect(slabLabel({ mode: 'mip', thicknessMm: 0 }, 2)).toEqual({ samples: 1, thicknessMm: 2, text: null });
  });
});
