import type { MessageBoxOptions } from 'electron';
import type { UnsavedMask } from '../services/AppServices.js';
import type { CloseAction, CloseChoice } from './createCloseGuard.js';
import { terminalText } from '../cli/terminalText.js';

/** The message box's buttons, in order; `choiceOf` reads its answer by the same order. */
const choices: readonly CloseChoice[] = ['save', 'discard', 'cancel'];

/**
 * The Save / Discard / Cancel message box for closing or quitting with
 * unsaved edits, in words for a clinician: segmentation names and change
 * counts, no ids or codes. Escape or closing the box answers Cancel.
 */
export function closePromptOptions(work: readonly UnsavedMask[], action: CloseAction): MessageBoxOptions {
  const when = action === 'quit' ? 'quitting' : 'closing';
  const names = work.map((w) => `“${plain(w.name)}”`);
  const changes = work.reduce((sum, w) => sum + w.unsavedEdits, 0);
  // A model's result kept as it came is not "a change" to the person who ran it.
  const result = work.length === 1 && work[0]!.unsavedResult;
  const message = result
    ? `Save ${names[0]} before ${when}?`
    : work.length === 1
      ? `Save changes to ${names[0]} before ${when}?`
      : `Save changes to ${work.length} segmentations before ${when}?`;
  const list = work.length === 1 ? '' : `${names.join(', ')}: `;
  return {
    type: 'warning',
    title: 'Unsaved changes',
    message,
    detail: result
      ? 'The model’s result is not saved yet. If you discard it, it is lost.'
      : `${list}${changes} unsaved ${changes === 1 ? 'change' : 'changes'}. ` +
        `If you discard ${changes === 1 ? 'it' : 'them'}, ${changes === 1 ? 'it is' : 'they are'} lost.`,
    buttons: ['Save…', 'Discard', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  };
}

/**
 * Stop / Keep running, for closing or quitting while a model runs: Keep
 * running is the default, and Escape or closing the box answers it.
 */
export function runPromptOptions(action: CloseAction): MessageBoxOptions {
  const verb = action === 'quit' ? 'quit' : 'close the window';
  return {
    type: 'warning',
    title: 'Model running',
    message: `A model is still running. Stop it and ${verb}?`,
    detail: 'The segmentation it is making is not finished. If you stop now, it is lost and the model has to be run again. Choose Keep running to wait for it.',
    buttons: [action === 'quit' ? 'Stop and quit' : 'Stop and close', 'Keep running'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

/** The choice a message box's `response` (the button's index) stands for; Cancel for anything else. */
export function choiceOf(response: number): CloseChoice {
  return choices[response] ?? 'cancel';
}

/** A failure to save or discard on closing, as one line for an error box: the message's first line, no stack or code. */
export function closeErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // The message's own closing period is dropped: the sentence gets one.
  return `${
    plain(message.split('\n')[0] ?? '')
      .replace(/[\s.]+$/, '')
      .trim() || 'Something went wrong'
  }. The window stays open; try Save again, or export the segmentation from the toolbar.`;
}

/** One line without control or bidi characters (a name comes from a file: U+202E would reorder the dialog's text). */
function plain(text: string): string {
  return terminalText(text, { singleLine: true }).trim();
}
