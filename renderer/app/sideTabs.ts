/** The side panel's tabs, in order. */
export type SideTab = 'study' | 'segments' | 'edit' | 'measure';

/** Each tab's id and the name on it. */
export const sideTabs: readonly (readonly [SideTab, string])[] = [
  ['study', 'Study'],
  ['segments', 'Segments'],
  ['edit', 'Edit'],
  ['measure', 'Measure'],
];

/**
 * The tab a key moves to from `current` in the tab list, as the WAI-ARIA tabs
 * pattern has it: ArrowRight / ArrowLeft to the next / previous (wrapping),
 * Home / End to the first / last; null for any other key.
 */
export function tabAfterKey(current: SideTab, key: string): SideTab | null {
  const n = sideTabs.findIndex(([id]) => id === current);
  const last = sideTabs.length - 1;
  const to =
    key === 'ArrowRight' ? (n + 1) % sideTabs.length : key === 'ArrowLeft' ? (n + last) % sideTabs.length : key === 'Home' ? 0 : key === 'End' ? last : -1;
  return to < 0 ? null : sideTabs[to]![0];
}
