import { describe, expect, it } from 'vitest';
import { foldTitleBar, unfoldedTitleBar, type TitleBarFold } from '../../../../renderer/views/foldTitleBar.js';

/** The 3D view's bar as measured in Chromium: 477 px of content unfolded, 357 px with the labels and clip folded, 2 levels. */
function settle(fold: TitleBarFold, width: number, contentAt: (level: number) => number): TitleBarFold {
  let now = fold;
  for (let n = 0; n < 5; n++) {
    const next = foldTitleBar(now, width, Math.max(width, contentAt(now.level)), 2);
    if (next === now) return now;
    now = next;
  }
  throw new Error('the fold did not settle');
}

const measured = (level: number): number => [477, 357, 214][level]!;

describe('foldTitleBar', () => {
  it('leaves a bar whose content fits unfolded, and the same object (no re-render)', () => {
    expect(foldTitleBar(unfoldedTitleBar, 496, 496, 2)).toBe(unfoldedTitleBar);
  });

  it('folds one level per overflow, remembering the width each level needed, and stops at the deepest', () => {
    const one = foldTitleBar(unfoldedTitleBar, 372, 477, 2);
    expect(one).toEqual({ level: 1, neededWidths: [477] });
    expect(foldTitleBar(one, 222, 357, 2)).toEqual({ level: 2, neededWidths: [477, 357] });
    const deepest = { level: 2, neededWidths: [477, 357] };
    expect(foldTitleBar(deepest, 150, 214, 2)).toBe(deepest);
  });

  it('settles at the level that fits for each pane width: 496 → 0, 372 → 1, 222 → 2', () => {
    expect(settle(unfoldedTitleBar, 496, measured).level).toBe(0);
    expect(settle(unfoldedTitleBar, 372, measured).level).toBe(1);
    expect(settle(unfoldedTitleBar, 222, measured).level).toBe(2);
  });

  it('unfolds a level only once the bar is as wide as that level needed, so it never alternates at the threshold', () => {
    let fold = settle(unfoldedTitleBar, 222, measured);
    for (const width of [356, 357, 476, 477, 300, 496]) {
      fold = settle(fold, width, measured);
      expect(fold.level, `${width} px`).toBe(width >= 477 ? 0 : width >= 357 ? 1 : 2);
    }
  });

  it('folds again when content added while unfolded (the Details after the first frame) no longer fits', () => {
    const fitted = settle(unfoldedTitleBar, 430, (level) => [415, 357, 214][level]!);
    expect(fitted.level).toBe(0);
    expect(settle(fitted, 430, measured)).toEqual({ level: 1, neededWidths: [477] });
  });
});
