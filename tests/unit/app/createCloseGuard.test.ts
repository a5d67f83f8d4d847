import { describe, expect, it } from 'vitest';
import { choiceOf, closeErrorText, closePromptOptions, runPromptOptions } from '../../../main/app/closePromptOptions.js';
import { createCloseGuard, type CloseAction, type CloseChoice } from '../../../main/app/createCloseGuard.js';
import type { MaskSaveOutcome, UnsavedMask } from '../../../main/services/AppServices.js';

/** A guard over a fake app: `work` is main's unsaved list, answers are queued, every call is logged. */
function fakeApp(initial: UnsavedMask[], answers: CloseChoice[], saveAnswers: (boolean | MaskSaveOutcome)[] = [], runAnswers: boolean[] | null = null) {
  let work = [...initial];
  const log: string[] = [];
  let release: (() => void) | undefined;
  /** A model run under way while runAnswers are given (Stop is true); stopping it ends it. */
  let running = runAnswers !== null;
  let whileRunAsked = (): void => undefined;
  const guard = createCloseGuard({
    modelRunning: () => running,
    askStopRun: async (action) => {
      log.push(`ask run ${action}`);
      whileRunAsked();
      return runAnswers?.shift() ?? false;
    },
    stopRun: async () => {
      log.push('stop run');
      running = false;
    },
    unsaved: () => work,
    ask: async (asked, action) => {
      log.push(`ask ${action} ${asked.map((w) => w.name).join('+')}`);
      if (answers.length === 0) await new Promise<void>((done) => (release = done));
      return answers.shift() ?? 'cancel';
    },
    save: async (maskId) => {
      const answer = saveAnswers.shift() ?? true;
      const outcome = typeof answer === 'boolean' ? { saved: answer, warnings: [] } : answer;
      log.push(`save ${maskId} ${outcome.saved}`);
      if (outcome.saved) work = work.filter((w) => w.maskId !== maskId);
      return outcome;
    },
    discard: async (maskId) => {
      log.push(`discard ${maskId}`);
      if (maskId === 'broken') throw new Error('the disk is full\n    at discard (x.js:1)');
      work = work.filter((w) => w.maskId !== maskId);
    },
    report: (error, failed) => log.push(`report ${failed}: ${closeErrorText(error)}`),
  });
  /** Tries to close as a 'close' handler would; resolves with whether it went on now, and whether `proceed` ran later. */
  const attempt = async (action: CloseAction = 'close'): Promise<{ now: boolean; proceeded: boolean }> => {
    let proceeded = false;
    const now = guard.allow(action, () => {
      proceeded = true;
      log.push(`proceed ${action}`);
    });
    await new Promise((done) => setTimeout(done, 0));
    return { now, proceeded };
  };
  return {
    guard,
    log,
    attempt,
    release: () => release?.(),
    setWork: (w: UnsavedMask[]) => (work = w),
    endRun: () => (running = false),
    whileRunAsked: (then: () => void) => (whileRunAsked = then),
  };
}

const liver: UnsavedMask = { maskId: 'm1', name: 'CT segmentation', unsavedEdits: 3, unsavedResult: false };
const lesion: UnsavedMask = { maskId: 'm2', name: 'lesion.nii.gz', unsavedEdits: 1, unsavedResult: false };

describe('createCloseGuard: closing or quitting with unsaved edits', () => {
  it('lets a close go on at once, asking nothing, when nothing is unsaved', async () => {
    const app = fakeApp([], []);
    expect(await app.attempt('close')).toEqual({ now: true, proceeded: false });
    expect(await app.attempt('quit')).toEqual({ now: true, proceeded: false });
    expect(app.log).toEqual([]);
  });

  it('Cancel: the close is prevented and nothing is saved, discarded or closed', async () => {
    const app = fakeApp([liver], ['cancel']);
    expect(await app.attempt('quit')).toEqual({ now: false, proceeded: false });
    expect(app.log).toEqual(['ask quit CT segmentation']);
  });

  it('Discard: every unsaved segmentation is discarded, then the close goes on, and the close it starts passes', async () => {
    const app = fakeApp([liver, lesion], ['discard']);
    expect(await app.attempt('close')).toEqual({ now: false, proceeded: true });
    expect(app.log).toEqual(['ask close CT segmentation+lesion.nii.gz', 'discard m1', 'discard m2', 'proceed close']);
    // The close that `proceed` starts (and the quit after it) finds nothing unsaved.
    expect(await app.attempt('close')).toEqual({ now: true, proceeded: false });
  });

  it('Save: each is saved in turn before the close goes on; a cancelled save dialog keeps the window open', async () => {
    const app = fakeApp([liver, lesion], ['save', 'save'], [true, false, true]);
    expect(await app.attempt('quit')).toEqual({ now: false, proceeded: false });
    expect(app.log).toEqual(['ask quit CT segmentation+lesion.nii.gz', 'save m1 true', 'save m2 false']);
    // Asked again, only the one still unsaved is left.
    expect(await app.attempt('quit')).toEqual({ now: false, proceeded: true });
    expect(app.log.slice(3)).toEqual(['ask quit lesion.nii.gz', 'save m2 true', 'proceed quit']);
  });

  it('a second close while the question shows is prevented and asks nothing more', async () => {
    const app = fakeApp([liver], []);
    const first = app.attempt('close');
    expect(await app.attempt('quit')).toEqual({ now: false, proceeded: false });
    expect(app.log).toEqual(['ask close CT segmentation']);
    app.release();
    expect(await first).toEqual({ now: false, proceeded: false });
  });

  it('a failing discard is reported in words (first line, no stack) and the window stays open', async () => {
    const app = fakeApp([{ ...liver, maskId: 'broken' }], ['discard']);
    expect(await app.attempt('close')).toEqual({ now: false, proceeded: false });
    expect(app.log.at(-1)).toBe('report discard: the disk is full. The window stays open; try Save again, or export the segmentation from the toolbar.');
    // Not stuck asking: the next close asks again.
    app.setWork([liver]);
    expect((await app.attempt('close')).now).toBe(false);
    expect(app.log.filter((l) => l.startsWith('ask'))).toHaveLength(2);
  });

  it('a quit while the window-close question shows is remembered: once answered, the app quits (not only the window)', async () => {
    const answers: CloseChoice[] = [];
    const app = fakeApp([liver], answers);
    const close = app.attempt('close');
    expect(await app.attempt('quit')).toEqual({ now: false, proceeded: false });
    answers.push('discard');
    app.release();
    await close;
    await new Promise((done) => setTimeout(done, 0));
    expect(app.log).toEqual(['ask close CT segmentation', 'discard m1', 'proceed quit']);
  });

  it('a quit remembered during the question is forgotten when the answer is Cancel', async () => {
    const answers: CloseChoice[] = [];
    const app = fakeApp([liver], answers);
    const close = app.attempt('close');
    await app.attempt('quit');
    answers.push('cancel');
    app.release();
    await close;
    await new Promise((done) => setTimeout(done, 0));
    expect(app.log).toEqual(['ask close CT segmentation']);
  });

  it('a save whose file could not hold every edit (overlapping segments) is no save: the window stays open and the user is told why', async () => {
    const incomplete: MaskSaveOutcome = {
      saved: false,
      fileName: 'liver.nii.gz',
      warnings: ['12 voxels were in more than one segment; the label map keeps the later one'],
    };
    const app = fakeApp([liver], ['save'], [incomplete]);
    expect(await app.attempt('close')).toEqual({ now: false, proceeded: false });
    expect(app.log.at(-1)).toBe(
      'report save: liver.nii.gz was written, but 12 voxels were in more than one segment; the label map keeps the later one, ' +
        'so the edits are kept as unsaved (reopening the scan offers them again). ' +
        'The window stays open; try Save again, or export the segmentation from the toolbar.',
    );
  });
});

describe('createCloseGuard: closing or quitting while a model runs', () => {
  it('Keep running: the close is prevented, the run goes on and nothing else is asked', async () => {
    const app = fakeApp([liver], ['discard'], [], [false]);
    expect(await app.attempt('quit')).toEqual({ now: false, proceeded: false });
    expect(app.log).toEqual(['ask run quit']);
  });

  it('Stop with nothing unsaved: the run is stopped, then the close goes on, and the close it starts passes', async () => {
    const app = fakeApp([], [], [], [true]);
    expect(await app.attempt('close')).toEqual({ now: false, proceeded: true });
    expect(app.log).toEqual(['ask run close', 'stop run', 'proceed close']);
    expect(await app.attempt('close')).toEqual({ now: true, proceeded: false });
  });

  it('Stop, then the unsaved question: the run is stopped only after it is answered, and Cancel there keeps the run going', async () => {
    const saved = fakeApp([liver], ['save'], [true], [true]);
    expect(await saved.attempt('quit')).toEqual({ now: false, proceeded: true });
    expect(saved.log).toEqual(['ask run quit', 'ask quit CT segmentation', 'save m1 true', 'stop run', 'proceed quit']);
    const cancelled = fakeApp([liver], ['cancel'], [], [true]);
    expect(await cancelled.attempt('quit')).toEqual({ now: false, proceeded: false });
    expect(cancelled.log).toEqual(['ask run quit', 'ask quit CT segmentation']);
  });

  it('the edits are read after the run question: one made while it showed is asked about', async () => {
    const app = fakeApp([], ['discard'], [], [true]);
    app.whileRunAsked(() => app.setWork([lesion]));
    expect(await app.attempt('close')).toEqual({ now: false, proceeded: true });
    expect(app.log).toEqual(['ask run close', 'ask close lesion.nii.gz', 'discard m2', 'stop run', 'proceed close']);
  });

  it('a run that ended while the question showed keeps the window open, so its result is seen; the next close asks about that', async () => {
    const app = fakeApp([], ['discard'], [], [true]);
    app.whileRunAsked(() => app.endRun());
    expect(await app.attempt('quit')).toEqual({ now: false, proceeded: false });
    expect(app.log).toEqual(['ask run quit']);
    // The page has kept the result meanwhile: it is unsaved work now.
    app.setWork([liver]);
    expect(await app.attempt('quit')).toEqual({ now: false, proceeded: true });
    expect(app.log.slice(1)).toEqual(['ask quit CT segmentation', 'discard m1', 'proceed quit']);
  });

  it('a run that has ended is not asked about', async () => {
    const app = fakeApp([], [], [], [true]);
    app.endRun();
    expect(await app.attempt('quit')).toEqual({ now: true, proceeded: false });
    expect(app.log).toEqual([]);
  });
});

describe('closeErrorText', () => {
  it('ends a message that has its own period with one period, not two', () => {
    expect(closeErrorText(new Error('the recovery file cannot be read.'))).toBe(
      'the recovery file cannot be read. The window stays open; try Save again, or export the segmentation from the toolbar.',
    );
  });
});

describe('runPromptOptions: the message box for a model run', () => {
  it('offers Stop first and Keep running as the default and the Escape answer, in words for the action', () => {
    expect(runPromptOptions('quit')).toMatchObject({
      message: 'A model is still running. Stop it and quit?',
      buttons: ['Stop and quit', 'Keep running'],
      defaultId: 1,
      cancelId: 1,
    });
    expect(runPromptOptions('close')).toMatchObject({
      message: 'A model is still running. Stop it and close the window?',
      buttons: ['Stop and close', 'Keep running'],
    });
  });
});

describe('closePromptOptions: the message box', () => {
  it('names the segmentation and its changes, Save first, Esc answering Cancel', () => {
    const options = closePromptOptions([liver], 'quit');
    expect(options).toMatchObject({
      message: 'Save changes to “CT segmentation” before quitting?',
      detail: '3 unsaved changes. If you discard them, they are lost.',
      buttons: ['Save…', 'Discard', 'Cancel'],
      defaultId: 0,
      cancelId: 2,
    });
    expect([0, 1, 2, 7, -1].map(choiceOf)).toEqual(['save', 'discard', 'cancel', 'cancel', 'cancel']);
  });

  it('says a model result kept as it came is not saved, not that it has one change', () => {
    const result: UnsavedMask = { maskId: 'm3', name: 'spleen segmentation', unsavedEdits: 1, unsavedResult: true };
    expect(closePromptOptions([result], 'close')).toMatchObject({
      message: 'Save “spleen segmentation” before closing?',
      detail: 'The model’s result is not saved yet. If you discard it, it is lost.',
      buttons: ['Save…', 'Discard', 'Cancel'],
    });
    // Beside another, counted as one change as before.
    expect(closePromptOptions([liver, result], 'quit').detail).toBe(
      '“CT segmentation”, “spleen segmentation”: 4 unsaved changes. If you discard them, they are lost.',
    );
  });

  it('lists several by name, with no ids, and strips control characters from names', () => {
    const options = closePromptOptions([liver, { ...lesion, name: 'les\u001b[2J\u202eion\n' }], 'close');
    expect(options.message).toBe('Save changes to 2 segmentations before closing?');
    expect(options.detail).toBe('“CT segmentation”, “les[2Jion”: 4 unsaved changes. If you discard them, they are lost.');
    expect(`${options.message} ${options.detail}`).not.toMatch(/m1|m2/);
  });
});
