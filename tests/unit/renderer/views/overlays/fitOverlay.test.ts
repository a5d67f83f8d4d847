import { describe, expect, it } from 'vitest';
import { fitOverlay } from '../../../../../renderer/views/overlays/fitOverlay.js';
import type { OverlayCorners } from '../../../../../renderer/views/overlays/overlayLines.js';

const corners: OverlayCorners = {
  topLeft: ['DOE, JANE MARGARET', 'ID AX-0042', 'DOB 1970-02-03 (52 y) F'],
  topRight: ['2023-01-15 10:15', 'CT ABDOMEN WITH CONTRAST', 'Se 3 · Abdomen 2.0'],
  bottomLeft: ['Im 150/300', 'Loc −123.5 mm', 'Thk 2.0 mm'],
  bottomRight: ['W 400 L 40', 'Zoom 1.5×'],
};
const metrics = { charPx: 6.8, linePx: 15 };

describe('fitOverlay', () => {
  it('keeps everything in a large pane', () => {
    expect(fitOverlay(corners, { width: 700, height: 600, ...metrics })).toEqual(corners);
  });

  it('cuts lines to 38 % of the width with … and keeps the first lines that fit 30 % of the height', () => {
    // 300 px: (300 × 0.38 − 6) / 6.8 = 15.9 -> 15 characters; 120 px: 120 × 0.3 / 15 = 2.4 -> 2 lines.
    const fitted = fitOverlay(corners, { width: 300, height: 120, ...metrics });
    expect(fitted.topLeft).toEqual(['DOE, JANE MARG…', 'ID AX-0042']);
    expect(fitted.topRight).toEqual(['2023-01-15 10:…', 'CT ABDOMEN WIT…']);
    expect(fitted.bottomLeft).toEqual(['Im 150/300', 'Loc −123.5 mm']);
    expect(fitted.bottomRight).toEqual(['W 400 L 40', 'Zoom 1.5×']);
    for (const line of Object.values(fitted).flat()) expect(line.length).toBeLessThanOrEqual(15);
  });

  it('drops a trailing space before the …', () => {
    expect(fitOverlay({ ...corners, topLeft: ['DOE, JANE', 'ABCDEFGHIJKLMN OPQ'] }, { width: 300, height: 600, ...metrics }).topLeft).toEqual([
      'DOE, JANE',
      'ABCDEFGHIJKLMN…',
    ]);
  });

  it('shows no corner text in a pane too small to read it', () => {
    const empty = { topLeft: [], topRight: [], bottomLeft: [], bottomRight: [] };
    expect(fitOverlay(corners, { width: 110, height: 400, ...metrics })).toEqual(empty);
    expect(fitOverlay(corners, { width: 600, height: 40, ...metrics })).toEqual(empty);
  });
});
