import type { MaskSaveOutcome, UnsavedMask } from '../services/AppServices.js';

/** The user's answer to "Save changes before closing?". */
export type CloseChoice = 'save' | 'discard' | 'cancel';

/** What is being closed: the window, or the whole app. */
export type CloseAction = 'close' | 'quit';

export interface CloseGuardDeps {
  /** The segmentations with unsaved edits now (main's copy counts them). */
  unsaved(): readonly UnsavedMask[];
  /** Asks Save / Discard / Cancel about them (the app shows a message box). */
  ask(work: readonly UnsavedMask[], action: CloseAction): Promise<CloseChoice>;
  /**
   * Saves one through the save dialog. Not saved: the user cancelled that
   * dialog, or (with warnings) the file could not hold every edit, which then
   * stay unsaved and journaled.
   */
  save(maskId: string): Promise<MaskSaveOutcome>;
  /** Drops one's unsaved edits and their recovery journal. */
  discard(maskId: string): Promise<void>;
  /** Tells the user the save or discard the answer asked for failed (or saved too little); the window then stays open. */
  report(error: unknown, failed: Exclude<CloseChoice, 'cancel'>): void;
  /** Whether a model run is under way, its result not yet made. */
  modelRunning(): boolean;
  /** Asks Stop / Keep running about it (the app shows a message box); true stops it. */
  askStopRun(action: CloseAction): Promise<boolean>;
  /** Cancels the run; resolves once it has ended, or soon after. Never rejects. */
  stopRun(): Promise<void>;
}

export interface CloseGuard {
  /**
   * For a window's 'close' or the app's 'before-quit' handler: true lets it go
   * on now (nothing unsaved); false means the handler must prevent it. The
   * guard then asks, carries out the answer, and calls `proceed` to close
   * again; never after Cancel, a cancelled save dialog or a failure. A second
   * close while the question shows is prevented; a quit then is remembered,
   * and `proceed` is then the quit's (the app quits, not only the window).
   */
  allow(action: CloseAction, proceed: () => void): boolean;
}

/**
 * The decision behind closing the window or quitting with unsaved edits or
 * a model run under way, free of Electron so that it can be tested: the
 * app's glue only forwards its events here. A run is asked about first
 * (Stop, or Keep running, which keeps the window; a run that ended while
 * asked keeps it too, so that its result is seen), then the edits, read after
 * that answer; the run is stopped only once nothing else holds the close
 * back, so Cancel on the save question keeps it going. Save is main writing
 * its own copy of the segmentation (every edit reaches it as it is made), through the same save dialog and
 * writer as the renderer's Save, so it works even if the page has hung. No
 * state is kept beyond "asking": once the answer is carried out nothing is
 * unsaved, so the close that `proceed` starts goes through; an edit that
 * arrived meanwhile is asked about again.
 */
export function createCloseGuard(deps: CloseGuardDeps): CloseGuard {
  let asking = false;
  /** A quit asked for while the window-close question showed: once answered, the app quits rather than only closing its window. */
  let pendingQuit: (() => void) | undefined;
  let choice: CloseChoice = 'cancel';

  const decide = async (action: CloseAction, running: boolean): Promise<boolean> => {
    choice = 'cancel';
    if (running && !(await deps.askStopRun(action))) return false;
    // It ended while the question showed: its result (not yet counted as unsaved, or still on its way) is shown, not lost.
    if (running && !deps.modelRunning()) return false;
    const work = deps.unsaved();
    if (work.length > 0 && !(await carryOut(work, action))) return false;
    if (running) await deps.stopRun();
    return true;
  };

  const carryOut = async (work: readonly UnsavedMask[], action: CloseAction): Promise<boolean> => {
    choice = await deps.ask(work, action);
    if (choice === 'cancel') return false;
    for (const { maskId } of work) {
      if (choice === 'discard') {
        await deps.discard(maskId);
        continue;
      }
      const outcome = await deps.save(maskId);
      if (outcome.saved) continue;
      if (outcome.warnings.length === 0) return false;
      const file = outcome.fileName ? `${outcome.fileName} was written, but ` : '';
      // Written, yet not every edit is in the file: not saved, and the user is told why.
      throw new Error(`${file}${outcome.warnings.join('; ')}, so the edits are kept as unsaved (reopening the scan offers them again)`);
    }
    return true;
  };

  return {
    allow(action, proceed) {
      if (asking) {
        if (action === 'quit') pendingQuit = proceed;
        return false;
      }
      const running = deps.modelRunning();
      if (!running && deps.unsaved().length === 0) return true;
      asking = true;
      decide(action, running).then(
        (done) => {
          const next = pendingQuit ?? proceed;
          asking = false;
          pendingQuit = undefined;
          if (done) next();
        },
        (error: unknown) => {
          asking = false;
          pendingQuit = undefined;
          deps.report(error, choice === 'discard' ? 'discard' : 'save');
        },
      );
      return false;
    },
  };
}
