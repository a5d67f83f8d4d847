import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { LeaveReason, PromptStore } from '../state/createPromptStore.js';
import { cycleFocus } from './cycleFocus.js';

const why: Record<LeaveReason, string> = {
  'open-scan': 'before opening another scan',
  'open-labels': 'before opening other labels',
  'model-result': "before the model's result replaces it",
};

/**
 * The in-page Save / Discard / Cancel question about unsaved edits: a modal
 * dialog (focus starts on Save and stays inside; Tab and Shift+Tab cycle the
 * buttons, Esc answers Cancel), in words only: the segmentation's name and
 * its number of changes.
 */
export function UnsavedDialog({ prompt }: { readonly prompt: PromptStore }) {
  const question = useSyncExternalStore(prompt.subscribe, prompt.current);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!question) return;
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector<HTMLButtonElement>('[data-testid="unsaved-save"]')?.focus();
    // Capturing on the window: Esc and Tab are the dialog's wherever focus is, and no viewer shortcut runs under it.
    const keydown = (event: KeyboardEvent): void => {
      const inside = dialog.current?.contains(event.target as Node) ?? false;
      if (event.key === 'Escape') prompt.answer('cancel');
      else if (event.key === 'Tab') cycleFocus(dialog.current, event.shiftKey);
      else if (inside && (event.key === 'Enter' || event.key === ' ')) return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('keydown', keydown, true);
    return () => {
      window.removeEventListener('keydown', keydown, true);
      before?.focus();
    };
  }, [question, prompt]);
  if (!question) return null;
  const { name, edits, reason } = question;
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}>
      <div
        ref={dialog}
        className="dialog unsaved"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="unsaved-title"
        aria-describedby="unsaved-text"
        data-testid="unsaved-dialog"
        data-reason={reason}
      >
        <h2 id="unsaved-title">
          Save changes to “{name}” {why[reason]}?
        </h2>
        <p id="unsaved-text">
          It has {edits} unsaved {edits === 1 ? 'change' : 'changes'}. If you discard {edits === 1 ? 'it' : 'them'}, {edits === 1 ? 'it is' : 'they are'} lost
          and not offered again.
        </p>
        <div className="dialog-buttons">
          <button type="button" className="primary" data-testid="unsaved-save" onClick={() => prompt.answer('save')}>
            Save…
          </button>
          <button type="button" data-testid="unsaved-discard" onClick={() => prompt.answer('discard')}>
            Discard
          </button>
          <button type="button" data-testid="unsaved-cancel" onClick={() => prompt.answer('cancel')}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
