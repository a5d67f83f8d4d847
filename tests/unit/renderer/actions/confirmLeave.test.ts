import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../core/contract.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { confirmLeave, type LeaveContext, type LeaveOutcome } from '../../../../renderer/actions/confirmLeave.js';
import { createPromptStore, type PromptChoice } from '../../../../renderer/state/createPromptStore.js';
import { hasUnsavedEdits } from '../../../../renderer/state/useUnsavedUnloadGuard.js';
import { initialViewerState, type SegmentationSession, type ViewerAction, type ViewerState } from '../../../../renderer/state/viewerState.js';

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** A viewer showing segmentation m1, main counting `unsaved` edits of it; every call and dispatch is logged. */
function viewer(unsaved: number, options: { saved?: boolean; complete?: boolean; statusCode?: string; synced?: Promise<void> } = {}) {
  const log: string[] = [];
  const prompt = createPromptStore();
  const store = createSegmentationStore({
    grid: {
      dimensions: [2, 2, 2],
      spacing: [1, 1, 1],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
    layers: [],
    segments: [],
  });
  const session: SegmentationSession = {
    maskId: 'm1',
    name: 'CT segmentation',
    store,
    snapshot: store.getSnapshot(),
    stats: [],
    statsRevision: 0,
    unsavedEdits: unsaved,
    synced: async () => {
      await options.synced;
      log.push('synced');
    },
  };
  const state = { current: { ...initialViewerState, segmentation: session } as ViewerState };
  const context: LeaveContext = {
    api: {
      'mask:status': async ({ maskId }) => {
        log.push(`status ${maskId}`);
        if (options.statusCode) return { ok: false, error: { code: options.statusCode, message: 'that segmentation is no longer open' } };
        return ok({ name: 'CT segmentation', unsavedEdits: unsaved, unsavedResult: false });
      },
      'mask:save': async ({ maskId }) => {
        log.push(`save ${maskId}`);
        if (options.complete === false)
          return ok({
            saved: true,
            fileName: 'CT segmentation.nii.gz',
            warnings: ['5 voxels were in more than one segment; the label map keeps the later one'],
            complete: false,
          });
        return ok(options.saved === false ? { saved: false } : { saved: true, fileName: 'CT segmentation.nii.gz', warnings: [], complete: true });
      },
      'mask:discard': async ({ maskId }) => {
        log.push(`discard ${maskId}`);
        return ok({ discarded: true });
      },
    },
    state,
    dispatch: (action: ViewerAction) => log.push(`dispatch ${action.type}${'message' in action ? ` ${action.message}` : ''}`),
    prompt,
  };
  /** Starts leaving; once the question shows, answers it with `choice`. */
  const leave = async (choice?: PromptChoice): Promise<LeaveOutcome> => {
    const done = confirmLeave(context, 'open-scan');
    if (choice) {
      await waitFor(() => prompt.current() !== null);
      log.push(`asked ${JSON.stringify(prompt.current())}`);
      prompt.answer(choice);
    }
    return done;
  };
  return { log, leave, prompt, state };
}

async function waitFor(test: () => boolean): Promise<void> {
  for (let n = 0; n < 100 && !test(); n++) await new Promise((done) => setTimeout(done, 0));
  expect(test()).toBe(true);
}

describe('confirmLeave: before the shown segmentation is replaced', () => {
  it('goes on without asking when main counts nothing unsaved, or there is no segmentation', async () => {
    const app = viewer(0);
    expect(await app.leave()).toBe('nothing-unsaved');
    expect(app.log).toEqual(['synced', 'status m1']);
    app.state.current = { ...app.state.current, segmentation: null };
    expect(await app.leave()).toBe('nothing-unsaved');
    expect(app.log).toHaveLength(2);
  });

  it('asks main only after every change has reached it', async () => {
    let release!: () => void;
    const app = viewer(0, { synced: new Promise<void>((done) => (release = done)) });
    const leaving = app.leave();
    await new Promise((done) => setTimeout(done, 5));
    expect(app.log).toEqual([]);
    release();
    expect(await leaving).toBe('nothing-unsaved');
    expect(app.log).toEqual(['synced', 'status m1']);
  });

  it('Cancel keeps everything: nothing saved or discarded, and the caller stays', async () => {
    const app = viewer(3);
    expect(await app.leave('cancel')).toBe(false);
    expect(app.log).toEqual(['synced', 'status m1', 'asked {"kind":"unsaved","name":"CT segmentation","edits":3,"result":false,"reason":"open-scan"}']);
    expect(app.prompt.current()).toBeNull();
  });

  it('Discard drops the edits in main (and their journal) before going on', async () => {
    const app = viewer(2);
    expect(await app.leave('discard')).toBe('discarded');
    expect(app.log.slice(3)).toEqual(['discard m1', 'dispatch segmentationSaved']);
  });

  it('Save goes on only once the file is written; a cancelled save dialog stays', async () => {
    const app = viewer(2);
    expect(await app.leave('save')).toBe('saved');
    expect(app.log.slice(3)).toEqual(['save m1', 'dispatch segmentationSaved', 'dispatch status Saved CT segmentation.nii.gz']);
    const cancelled = viewer(2, { saved: false });
    expect(await cancelled.leave('save')).toBe(false);
    expect(cancelled.log.slice(3)).toEqual(['save m1']);
  });

  it('a label map that could not hold every segment is no save: it stays, says why, and the edits stay unsaved', async () => {
    const app = viewer(2, { complete: false });
    expect(await app.leave('save')).toBe(false);
    expect(app.log.slice(3)).toEqual([
      'save m1',
      'dispatch error CT segmentation.nii.gz was written, but it cannot hold every segment ' +
        '(5 voxels were in more than one segment; the label map keeps the later one), ' +
        'so the edits are kept as unsaved (reopening the scan offers them again).',
    ]);
  });

  it('goes on when main no longer holds the segmentation (nothing there to save; its journal stays on disk)', async () => {
    expect(await viewer(2, { statusCode: 'UNKNOWN_ID' }).leave()).toBe('nothing-unsaved');
    await expect(viewer(2, { statusCode: 'INTERNAL' }).leave()).rejects.toThrow('no longer open');
  });

  it('a second question answers the first with Cancel', async () => {
    const prompt = createPromptStore();
    const first = prompt.ask({ kind: 'unsaved', name: 'a', edits: 1, result: false, reason: 'open-scan' });
    const second = prompt.ask({ kind: 'unsaved', name: 'b', edits: 2, result: false, reason: 'open-labels' });
    expect(await first).toBe('cancel');
    expect(prompt.current()).toEqual({ kind: 'unsaved', name: 'b', edits: 2, result: false, reason: 'open-labels' });
    prompt.answer('discard');
    expect(await second).toBe('discard');
  });
});

describe('hasUnsavedEdits: what the page-unload prompt goes by', () => {
  it("is main's count, or changes still on their way to main", () => {
    const app = viewer(0);
    const session = app.state.current.segmentation!;
    expect(hasUnsavedEdits(app.state.current)).toBe(false);
    expect(hasUnsavedEdits({ ...app.state.current, segmentation: { ...session, unsavedEdits: 1 } })).toBe(true);
    expect(hasUnsavedEdits({ ...app.state.current, segmentation: { ...session, statsRevision: -1 } })).toBe(true);
    expect(hasUnsavedEdits(initialViewerState)).toBe(false);
  });
});
