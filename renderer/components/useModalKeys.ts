import { useEffect, useRef, type RefObject } from 'react';
import { cycleFocus } from './cycleFocus.js';

/**
 * A modal dialog's keys while it shows, captured on the window so that no viewer shortcut (nor the load bar's Esc)
 * runs under it: Esc calls `onClose`, Tab and Shift+Tab cycle the dialog's controls, other keys inside it keep their
 * default (arrows in a select, Enter submits) and do nothing outside. A modal opened over this one (the Save / Discard
 * question) keeps its own keys. When it closes, focus goes back where it was, or, where that control is gone (or
 * focus was nowhere), to `fallbackFocus()` (the active view).
 */
export function useModalKeys(box: RefObject<HTMLElement | null>, onClose: () => void, fallbackFocus?: () => HTMLElement | null): void {
  // Callers may hand new callbacks each render: the listener reads the latest, and focus is taken and given back once.
  const latest = useRef({ onClose, fallbackFocus });
  useEffect(() => {
    latest.current = { onClose, fallbackFocus };
  }, [onClose, fallbackFocus]);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const keydown = (event: KeyboardEvent): void => {
      const other = (event.target as Element | null)?.closest?.('[aria-modal="true"]');
      if (other && box.current && !box.current.contains(other) && !other.contains(box.current)) return;
      event.stopPropagation();
      if (event.key === 'Escape') latest.current.onClose();
      else if (event.key === 'Tab') cycleFocus(box.current, event.shiftKey);
      else if (box.current?.contains(event.target as Node)) return;
      event.preventDefault();
    };
    window.addEventListener('keydown', keydown, true);
    return () => {
      window.removeEventListener('keydown', keydown, true);
      const back = before && before !== document.body && before.isConnected ? before : latest.current.fallbackFocus?.();
      back?.focus();
    };
  }, [box]);
}
