import type { UnsavedMask } from '../services/AppServices.js';

/** The user's answer to "Save changes before closing?". */
export type CloseChoice = 'save' | 'discard' | 'cancel';

/** What is being closed: the window, or the whole app. */
export type CloseAction = 'close' | 'quit';

export interface CloseGuardDeps {
  /** The segmentations with unsaved edits now (main's copy counts them). */
  unsaved(): readonly UnsavedMask[];
  /** Asks Save / Discard / Cancel about them (the app shows a message box). */
  ask(work: readonly UnsavedMask[], action: CloseAction): Promise<CloseChoice>;
  /** Saves one through the save dialog; false when the user cancelled that dialog. */
  save(maskId: string): Promise<boolean>;
  /** Drops one's unsaved edits and their recovery journal. */
  discard(maskId: string): Promise<void>;
  /** Tells the user a save or discard failed; the window then stays open. */
  report(error: unknown): void;
}

export interface CloseGuard {
  /**
   * For a window's 'close' or the app's 'before-quit' handler: true lets it go
   * on now (nothing unsaved); false means the handler must prevent it. The
   * guard then asks, carries out the answer, and calls `proceed` to close
   * again; never after Cancel, a cancelled save dialog or a failure. A second
   * close while the question shows is prevented and changes nothing.
   */
  allow(action: CloseAction, proceed: () => void): boolean;
}

/**
 * The decision behind closing the window or quitting with unsaved edits,
 * free of Electron so that it can be tested: the app's glue only forwards
 * its events here. Save is main writing its own copy of the segmentation
 * (every edit reaches it as it is made), through the same save dialog and
 * writer as the renderer's Save, so it works even if the page has hung. No
 * state is kept beyond "asking": once the answer is carried out nothing is
 * unsaved, so the close that `proceed` starts goes through; an edit that
 * arrived meanwhile is asked about again.
 */
export function createCloseGuard(deps: CloseGuardDeps): CloseGuard {
  let asking = false;

  const carryOut = async (work: readonly UnsavedMask[], action: CloseAction): Promise<boolean> => {
    const choice = await deps.ask(work, action);
    if (choice === 'cancel') return false;
    for (const { maskId } of work) {
      if (choice === 'discard') await deps.discard(maskId);
      else if (!(await deps.save(maskId))) return false;
    }
    return true;
  };

  return {
    allow(action, proceed) {
      if (asking) return false;
      const work = deps.unsaved();
      if (work.length === 0) return true;
      asking = true;
      carryOut(work, action).then(
        (done) => {
          asking = false;
          if (done) proceed();
        },
        (error: unknown) => {
          asking = false;
          deps.report(error);
        },
      );
      return false;
    },
  };
}
