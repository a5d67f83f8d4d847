import { describe, expect, it } from 'vitest';
import { clampLabelBox } from '../../../../renderer/views/clampLabelBox.js';

describe('clampLabelBox', () => {
  it('leaves a label inside the view where it is', () => {
    expect(clampLabelBox({ x: 100, y: 50, width: 80, height: 14 }, 400, 300)).toEqual({ dx: 0, dy: 0 });
  });

  it('moves a label past the right or bottom edge back in, 2 px from the edge', () => {
    // Right edge at 380 + 80 = 460 in a 400-wide view: back by 62 to end at 398.
    expect(clampLabelBox({ x: 380, y: 290, width: 80, height: 14 }, 400, 300)).toEqual({ dx: -62, dy: -6 });
  });

  it('moves a label above the top or left of the view down and right', () => {
    expect(clampLabelBox({ x: -30, y: -9, width: 80, height: 14 }, 400, 300)).toEqual({ dx: 32, dy: 11 });
  });

  it('starts a label wider than the view at its left edge, so its name is read', () => {
    expect(clampLabelBox({ x: 50, y: 10, width: 500, height: 14 }, 400, 300)).toEqual({ dx: -48, dy: 0 });
  });
});
