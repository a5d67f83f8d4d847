import { useSyncExternalStore } from 'react';

/** sessionStorage key: the choice lasts for the window's session (a reload keeps it, a new window starts with overlays on). */
const storageKey = 'axial.overlays';
const listeners = new Set<() => void>();
let shown = readStored();

function readStored(): boolean {
  try {
    return globalThis.sessionStorage?.getItem(storageKey) !== 'off';
  } catch {
    return true; // storage refused (a sandboxed page): overlays on, remembered in memory only
  }
}

/** Shows or hides the image overlays in every view, and remembers it for the session. */
export function setOverlaysShown(value: boolean): void {
  if (value === shown) return;
  shown = value;
  try {
    globalThis.sessionStorage?.setItem(storageKey, value ? 'on' : 'off');
  } catch {
    // Kept in memory for this page only.
  }
  for (const listener of listeners) listener();
}

/** Whether the image overlays are shown (on by default), re-rendering the caller when that changes. */
export function useOverlaysShown(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => shown,
  );
}
