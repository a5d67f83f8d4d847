import { describe, expect, it } from 'vitest';
import { roiScopeOf } from '../../../../renderer/measurements/roiScopeOf.js';

describe('roiScopeOf', () => {
  it('is what the view shows on a standard plane with no slab', () => {
    expect(roiScopeOf({ view: 'axial' }, [])).toBe('shown');
    expect(roiScopeOf({ view: 'axial' }, ['coronal', 'sagittal'])).toBe('shown');
  });

  it('is the centre slice under its own view’s slab, the voxels on the plane on a turned one, and both', () => {
    expect(roiScopeOf({ view: 'axial' }, ['axial'])).toBe('centreSlice');
    expect(roiScopeOf({ view: 'coronal oblique' }, [])).toBe('plane');
    expect(roiScopeOf({ view: 'coronal oblique' }, ['axial'])).toBe('plane');
    expect(roiScopeOf({ view: 'coronal oblique' }, ['coronal'])).toBe('centrePlane');
  });
});
