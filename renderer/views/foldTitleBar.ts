/**
 * How far a one-line title bar folds its controls behind a More button
 * (0: nothing folded; each level folds more), and the width the bar's
 * content needed at each shallower level (neededWidths[l]: measured at level
 * l when it overflowed).
 */
export interface TitleBarFold {
  readonly level: number;
  readonly neededWidths: readonly number[];
}

/** Nothing folded, nothing measured yet. */
export const unfoldedTitleBar: TitleBarFold = { level: 0, neededWidths: [] };

/**
 * The next fold of a one-line title bar from its width now (clientWidth) and
 * its content's (scrollWidth, measured with nothing allowed to shrink or
 * wrap): content that overflows folds one level deeper (up to `deepest`)
 * and remembers how wide it was; a folded bar unfolds a level once it is as
 * wide as that level's content was. The remembered widths keep the bar from
 * alternating at a threshold.
 */
export function foldTitleBar(fold: TitleBarFold, clientWidth: number, scrollWidth: number, deepest: number): TitleBarFold {
  const { level, neededWidths } = fold;
  if (scrollWidth > clientWidth && level < deepest) {
    const widths = neededWidths.slice(0, level);
    widths[level] = scrollWidth;
    return { level: level + 1, neededWidths: widths };
  }
  if (level > 0 && clientWidth >= neededWidths[level - 1]!) return { level: level - 1, neededWidths };
  return fold;
}
