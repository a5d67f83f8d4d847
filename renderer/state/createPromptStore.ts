/** What the unsaved-edits question is about: the segmentation, its change count, and what the user asked to do. */
export interface UnsavedQuestion {
  readonly kind: 'unsaved';
  readonly name: string;
  readonly edits: number;
  /** The one change is a model's result, kept as it came (MaskStatus.unsavedResult). */
  readonly result: boolean;
  readonly reason: LeaveReason;
}

/** Opening another scan would stop the model running on this one (Stop and open / Keep running). */
export interface RunningQuestion {
  readonly kind: 'running';
}

export type PromptQuestion = UnsavedQuestion | RunningQuestion;

/** What would replace the shown segmentation. */
export type LeaveReason = 'open-scan' | 'open-labels' | 'model-result';

/** Save / Discard answer the unsaved-edits question, Stop the running one; Cancel either. */
export type PromptChoice = 'save' | 'discard' | 'stop' | 'cancel';

/** The one question the page may be asking, as a store the dialog subscribes to. */
export interface PromptStore {
  /** The question showing, or null. */
  current(): PromptQuestion | null;
  subscribe(listener: () => void): () => void;
  /** Shows the question; resolves with the answer. A question already showing is answered Cancel first. */
  ask(question: PromptQuestion): Promise<PromptChoice>;
  /** The dialog's answer to the question showing (none: nothing happens). */
  answer(choice: PromptChoice): void;
}

/** An empty prompt store (one per page, made by App). */
export function createPromptStore(): PromptStore {
  let showing: { question: PromptQuestion; resolve: (choice: PromptChoice) => void } | null = null;
  const listeners = new Set<() => void>();
  const changed = (): void => listeners.forEach((listener) => listener());
  const answer = (choice: PromptChoice): void => {
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
