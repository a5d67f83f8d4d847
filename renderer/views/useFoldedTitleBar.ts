import { useLayoutEffect, useState, type RefObject } from 'react';
import { foldTitleBar, unfoldedTitleBar } from './foldTitleBar.js';

/**
 * How far the title bar in `bar` folds its controls to stay on one line
 * (foldTitleBar; 0 … deepest), checked before paint whenever the bar changes
 * size or a render changes `content` (controls that come or go change the
 * width they need).
 */
export function useFoldedTitleBar(bar: RefObject<HTMLElement | null>, deepest: number, content: unknown): number {
  const [fold, setFold] = useState(unfoldedTitleBar);
  useLayoutEffect(() => {
    const element = bar.current;
    if (!element) return;
    const check = (): void => setFold((now) => foldTitleBar(now, element.clientWidth, element.scrollWidth, deepest));
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    return () => observer.disconnect();
  }, [bar, deepest, fold.level, content]);
  return fold.level;
}
