import { describe, expect, it } from 'vitest';
import { assertWithinGridBudget } from '../../../../main/segmentation/pipeline/assertWithinGridBudget.js';
import { spacingGrid } from '../../../../main/segmentation/pipeline/spacingGrid.js';

describe('assertWithinGridBudget', () => {
  it('lets real models’ grids through: the spleen bundle on a thin CT, 1 mm on a 5 mm MR, 0.5 mm on a 1 mm head CT', () => {
    const spleen = spacingGrid([512, 512, 300], [0.7, 0.7, 1], [1.5, 1.5, 2]).dimensions;
    expect(() => assertWithinGridBudget('Spacingd', spleen, [512, 512, 300])).not.toThrow();
    const mr = spacingGrid([256, 256, 30], [1, 1, 5], [1, 1, 1]).dimensions;
    expect(() => assertWithinGridBudget('Spacingd', mr, [256, 256, 30])).not.toThrow();
    const head = spacingGrid([512, 512, 200], [0.5, 0.5, 1], [0.5, 0.5, 0.5]).dimensions;
    expect(() => assertWithinGridBudget('Spacingd', head, [512, 512, 200])).not.toThrow();
  });

  it('lets any grid under 2^28 values through, however much finer than a tiny scan', () => {
    expect(() => assertWithinGridBudget('ResizeWithPadOrCropd', [512, 512, 512], [4, 4, 4])).not.toThrow();
  });

  it('refuses a grid over 64 times the scan once it passes 2^28 values, saying by how much', () => {
    expect(() => assertWithinGridBudget('Spacingd (pixdim 0.012×0.012×0.012 mm)', [1000, 1000, 1000], [12, 12, 12])).toThrow(
      expect.objectContaining({
        code: 'VOLUME_TOO_LARGE',
        message: expect.stringMatching(/1000×1000×1000 grid from this 12×12×12 scan \(5\.79e\+5 times its voxels, 3\.7 GiB/),
      }),
    );
    expect(() => assertWithinGridBudget('Spacingd', [2049, 2048, 1024], [512, 512, 64])).toThrow(expect.objectContaining({ code: 'VOLUME_TOO_LARGE' }));
  });
});
