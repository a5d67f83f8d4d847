import { useEffect, type RefObject } from 'react';
import { cycleFocus } from './cycleFocus.js';

/**
 * A modal dialog's keys while it shows, captured on the window so that no viewer shortcut (nor the load bar's Esc)
 * runs under it: Esc calls `onClose`, Tab and Shift+Tab cycle the dialog's controls, other keys inside it keep their
 * default (arrows in a select, Enter submits) and do nothing outside. Focus goes back where it was when it closes.
 */
export function useModalKeys(box: RefObject<HTMLElement | null>, onClose: () => void): void {
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const keydown = (event: KeyboardEvent): void => {
      event.stopPropagation();
      if (event.key === 'Escape') onClose();
      else if (event.key === 'Tab') cycleFocus(box.current, event.shiftKey);
      else if (box.current?.contains(event.target as Node)) return;
      event.preventDefault();
    };
    window.addEventListener('keydown', keydown, true);
    return () => {
      window.removeEventListener('keydown', keydown, true);
      before?.focus();
    };
  }, [box, onClose]);
}
