/** What the unsaved-edits question is about: the segmentation, its change count, and what the user asked to do. */
export interface UnsavedQuestion {
  readonly name: string;
  readonly edits: number;
  readonly reason: LeaveReason;
}

/** What would replace the shown segmentation. */
export type LeaveReason = 'open-scan' | 'open-labels' | 'model-result';

export type UnsavedChoice = 'save' | 'discard' | 'cancel';

/** The one question the page may be asking (Save / Discard / Cancel), as a store the dialog subscribes to. */
export interface PromptStore {
  /** The question showing, or null. */
  current(): UnsavedQuestion | null;
  subscribe(listener: () => void): () => void;
  /** Shows the question; resolves with the answer. A question already showing is answered Cancel first. */
  ask(question: UnsavedQuestion): Promise<UnsavedChoice>;
  /** The dialog's answer to the question showing (none: nothing happens). */
  answer(choice: UnsavedChoice): void;
}

/** An empty prompt store (one per page, made by App). */
export function createPromptStore(): PromptStore {
  let showing: { question: UnsavedQuestion; resolve: (choice: UnsavedChoice) => void } | null = null;
  const listeners = new Set<() => void>();
  const changed = (): void => listeners.forEach((listener) => listener());
  const answer = (choice: UnsavedChoice): void => {
    const open = showing;
    if (!open) return;
    showing = null;
    changed();
    open.resolve(choice);
  };
  return {
    current: () => showing?.question ?? null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ask(question) {
      answer('cancel');
      return new Promise((resolve) => {
        showing = { question, resolve };
        changed();
      });
    },
    answer,
  };
}
