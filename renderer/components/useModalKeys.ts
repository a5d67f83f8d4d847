import { useEffect, useRef, type RefObject } from 'react';
import { cycleFocus } from './cycleFocus.js';

export interface ModalKeysOptions {
  /** Keys that close the dialog as Esc does (the Help panel's ? and F1, the keys that open it). */
  readonly closeKeys?: readonly string[];
}

/**
 * A modal dialog's keys while it shows, captured on the window so that no viewer shortcut (nor the load bar's Esc)
 * runs under it: Esc calls `onClose`, Tab and Shift+Tab cycle the dialog's controls, other keys inside it keep their
 * default (arrows in a select, Enter submits) and do nothing outside. A modal opened over this one (the Save / Discard
 * question) keeps its own keys, `closeKeys` included. When it closes, focus goes back where it was, or, where that
 * control is gone (or focus was nowhere), to `fallbackFocus()` (the active view); but only where focus was still
 * this dialog's (inside it, or on the page's body once it is gone): focus in a modal opened over it stays there.
 */
export function useModalKeys(
  box: RefObject<HTMLElement | null>,
  onClose: () => void,
  fallbackFocus?: () => HTMLElement | null,
  options: ModalKeysOptions = {},
): void {
  // Callers may hand new callbacks each render: the listener reads the latest, and focus is taken and given back once.
  const { closeKeys } = options;
  const latest = useRef({ onClose, fallbackFocus, closeKeys });
  useEffect(() => {
    latest.current = { onClose, fallbackFocus, closeKeys };
  }, [onClose, fallbackFocus, closeKeys]);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const node = box.current;
    const keydown = (event: KeyboardEvent): void => {
      const other = (event.target as Element | null)?.closest?.('[aria-modal="true"]');
      if (other && box.current && !box.current.contains(other) && !other.contains(box.current)) return;
      event.stopPropagation();
      if (event.key === 'Escape' || latest.current.closeKeys?.includes(event.key)) latest.current.onClose();
      else if (event.key === 'Tab') cycleFocus(box.current, event.shiftKey);
      else if (box.current?.contains(event.target as Node)) return;
      event.preventDefault();
    };
    window.addEventListener('keydown', keydown, true);
    return () => {
      window.removeEventListener('keydown', keydown, true);
      const focus = document.activeElement;
      if (focus && focus !== document.body && !node?.contains(focus)) return;
      const back = before && before !== document.body && before.isConnected ? before : latest.current.fallbackFocus?.();
      back?.focus();
    };
  }, [box]);
}
