import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { LeaveReason, PromptChoice, PromptQuestion, PromptStore } from '../state/createPromptStore.js';
import { cycleFocus } from './cycleFocus.js';

const why: Record<LeaveReason, string> = {
  'open-scan': 'before opening another scan',
  'open-labels': 'before opening other labels',
  'model-result': "before the model's result replaces it",
};

/** Where focus starts: Save for unsaved edits; Keep running, the choice that loses nothing, for a model run. */
const firstFocus: Record<PromptQuestion['kind'], string> = { unsaved: 'unsaved-save', running: 'running-keep' };

/**
 * The in-page question of the prompt store, a modal dialog (focus stays
 * inside; Tab and Shift+Tab cycle the buttons, Esc answers Cancel), in words
 * only: Save / Discard / Cancel about a segmentation's unsaved edits (its name
 * and number of changes), or Stop and open / Keep running about a model run
 * that opening another scan would stop.
 */
export function PromptDialog({ prompt }: { readonly prompt: PromptStore }) {
  const question = useSyncExternalStore(prompt.subscribe, prompt.current);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!question) return;
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector<HTMLButtonElement>(`[data-testid="${firstFocus[question.kind]}"]`)?.focus();
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
  const button = (choice: PromptChoice, testId: string, label: string, primary = false) => (
    <button type="button" className={primary ? 'primary' : undefined} data-testid={testId} onClick={() => prompt.answer(choice)}>
      {label}
    </button>
  );
  const content =
    question.kind === 'unsaved' ? (
      <>
        <h2 id="prompt-title">
          Save {question.result ? '' : 'changes to '}“{question.name}” {why[question.reason]}?
        </h2>
        {question.result ? (
          <p id="prompt-text">The model’s result is not saved yet. If you discard it, it is lost and not offered again.</p>
        ) : (
          <p id="prompt-text">
            It has {question.edits} unsaved {question.edits === 1 ? 'change' : 'changes'}. If you discard {question.edits === 1 ? 'it' : 'them'},{' '}
            {question.edits === 1 ? 'it is' : 'they are'} lost and not offered again.
          </p>
        )}
        <div className="dialog-buttons">
          {button('save', 'unsaved-save', 'Save…', true)}
          {button('discard', 'unsaved-discard', 'Discard')}
          {button('cancel', 'unsaved-cancel', 'Cancel')}
        </div>
      </>
    ) : (
      <>
        <h2 id="prompt-title">Stop the model running on this scan?</h2>
        <p id="prompt-text">Opening another scan stops the model now; its result is not kept. Keep running to see the result first.</p>
        <div className="dialog-buttons">
          {button('stop', 'running-stop', 'Stop and open')}
          {button('cancel', 'running-keep', 'Keep running', true)}
        </div>
      </>
    );
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}>
      <div
        ref={dialog}
        className="dialog unsaved"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="prompt-title"
        aria-describedby="prompt-text"
        data-testid={question.kind === 'unsaved' ? 'unsaved-dialog' : 'running-dialog'}
        data-reason={question.kind === 'unsaved' ? question.reason : 'open-scan'}
      >
        {content}
      </div>
    </div>
  );
}
