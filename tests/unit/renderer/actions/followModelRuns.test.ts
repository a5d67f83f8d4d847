import { describe, expect, it } from 'vitest';
import type { EventTypes, MaskHeader, Result, SegmentDef, SegmentInfo } from '../../../../core/contract.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { createPromptStore } from '../../../../renderer/state/createPromptStore.js';
import { splitStatus } from '../../../../renderer/display/statusDetails.js';
import { followModelRuns, type FollowContext } from '../../../../renderer/actions/followModelRuns.js';
import { initialViewerState, viewerReducer, type SegmentationSession, type ViewerAction, type ViewerState } from '../../../../renderer/state/viewerState.js';

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const grid = {
  dimensions: [2, 2, 2] as const,
  spacing: [1, 1, 1] as const,
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ] as const,
};

function session(maskId: string, unsaved: number, layers: Uint8Array[] = []): SegmentationSession {
  const store = createSegmentationStore({
    grid: {
      ...grid,
      dimensions: [2, 2, 2],
      spacing: [1, 1, 1],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
    layers,
    segments: [],
  });
  return {
    maskId,
    name: 'CT segmentation',
    store,
    snapshot: store.getSnapshot(),
    stats: [],
    statsRevision: 0,
    unsavedEdits: unsaved,
    synced: async () => undefined,
  };
}

const def = (value: number, name: string): SegmentDef => ({ layer: 0, value, name, colour: [200, 80, 60], algorithmType: 'AUTOMATIC', locked: false });
const info = (d: SegmentDef): SegmentInfo => ({ ...d, voxels: 0, ml: 0, mean: null, sd: null, min: null, max: null }) as unknown as SegmentInfo;

/** A model's result on `volumeId`: layer 0's voxels 0-3 are 'liver'; layer 1 ('spleen') is empty. */
function result(volumeId: string): EventTypes['segmentation:done'] {
  const bytes = Buffer.from([1, 1, 1, 1, 0, 0, 0, 0]).toString('base64');
  const header: MaskHeader = {
    maskId: 'r1',
    volumeId,
    name: 'model',
    warnings: [],
    unsavedEdits: 0,
    layers: [
      { dataType: 'uint8', dataUrl: `data:application/octet-stream;base64,${bytes}` },
      { dataType: 'uint8', dataUrl: `data:application/octet-stream;base64,${Buffer.alloc(8).toString('base64')}` },
    ],
    segments: [info(def(1, 'liver')), info({ ...def(1, 'spleen'), layer: 1 })],
  };
  return { jobId: 'j1', result: { ok: true, value: { ...header, provider: 'cpu', seconds: 1 } } };
}

/** The page following model runs, showing scan v1 with segmentation m1 (main counting `unsaved` edits); calls and dispatches logged. */
function page(
  options: {
    unsaved?: number;
    into?: 'append' | 'new';
    saveFails?: boolean | 'INTERNAL';
    ranOn?: unknown;
    shown?: unknown;
    /**
     * What showMask meets: nothing (it shows the result), another scan opened while the labels were fetched, the next
     * time point of the series shown then (the first call), or a failed fetch.
     */
    showing?: 'shown' | 'other-scan' | 'time-step' | 'fails';
    /** Logs jobFinishing too (the other specs' logs leave it out). */
    finishing?: boolean;
    unprotected?: string;
  } = {},
) {
  const log: string[] = [];
  const prompt = createPromptStore();
  let listener: ((payload: EventTypes['segmentation:done']) => void) | undefined;
  const shown = session('m1', options.unsaved ?? 0);
  const state = {
    current: {
      ...initialViewerState,
      volume: options.shown ?? { header: { volumeId: 'v1', dimensions: [2, 2, 2] } },
      segmentation: shown,
      job: {
        jobId: 'j1',
        progress: null,
        cancelling: false,
        into: options.into === 'append' ? { kind: 'append', maskId: 'm1' } : { kind: 'new' },
        volume: options.ranOn ?? null,
      },
    } as unknown as ViewerState,
  };
  const context: FollowContext = {
    api: {
      on: ((event: string, l: typeof listener) => {
        if (event === 'segmentation:done') listener = l;
        return () => undefined;
      }) as FollowContext['api']['on'],
      'mask:close': async ({ maskId }) => {
        log.push(`close ${maskId}`);
        return ok({ closed: true });
      },
      'mask:status': async () => ok({ name: 'CT segmentation', unsavedEdits: options.unsaved ?? 0, unsavedResult: false }),
      'mask:save': async () =>
        options.saveFails === 'INTERNAL'
          ? { ok: false, error: { code: 'INTERNAL', message: 'EACCES: permission denied' } }
          : options.saveFails
            ? { ok: false, error: { code: 'OUTPUT_WRITE_FAILED', message: 'the disk is full' } }
            : ok({ saved: true, fileName: 'a.nii.gz', warnings: [] }),
      'mask:discard': async () => ok({ discarded: true }),
      'mask:keep': async ({ maskId }) => {
        log.push(`keep ${maskId}`);
        return ok({ unsavedEdits: 1, ...(options.unprotected !== undefined && { unprotected: options.unprotected }) });
      },
    },
    state,
    // jobFinishing comes first with every result (one spec checks it), and is left out of the logs the others compare.
    dispatch: (action: ViewerAction) =>
      void ((options.finishing || action.type !== 'jobFinishing') && log.push(`${action.type}${'message' in action ? ` ${action.message}` : ''}`)),
    prompt,
    showMask: async (header) => {
      if (options.showing === 'fails') throw new Error('the labels could not be fetched');
      log.push(`show ${header.maskId} on ${header.volumeId}`);
      const replaced = (volume: unknown): null => {
        state.current = { ...state.current, volume } as unknown as ViewerState;
        return null;
      };
      if (options.showing === 'other-scan') return replaced({ header: { volumeId: 'v9', dimensions: [2, 2, 2] }, source: { scanId: 's9', seriesIndex: 0 } });
      const shownVolume = state.current.volume as { header: { volumeId: string }; source?: { scanId: string } };
      if (options.showing === 'time-step' && shownVolume.header.volumeId === 'vs1t0') {
        return replaced({ header: { volumeId: 'vs1t1', dimensions: [2, 2, 2] }, source: shownVolume.source });
      }
      const store = session(header.maskId, 0);
      state.current = { ...state.current, segmentation: store };
      return store.store;
    },
  };
  followModelRuns(context);
  const settle = async (): Promise<void> => {
    for (let n = 0; n < 50; n++) await new Promise((done) => setTimeout(done, 0));
  };
  return { log, prompt, state, shown, finish: (payload: EventTypes['segmentation:done']) => listener!(payload), settle };
}

describe('followModelRuns: placing a model result', () => {
  it('marks the run finishing as soon as its result comes: opening another scan then has no run to ask about', async () => {
    const p = page({ finishing: true });
    p.finish(result('v1'));
    await p.settle();
    expect(p.log[0]).toBe('jobFinishing');
    expect(p.log.at(-1)).toBe('jobEnded');
  });

  it('a result for a scan no longer shown is set aside before any question about the shown one', async () => {
    const p = page({ unsaved: 3 });
    let asked = false;
    p.prompt.subscribe(() => (asked ||= p.prompt.current() !== null));
    p.finish(result('v0'));
    await p.settle();
    expect(asked).toBe(false);
    expect(p.log).toEqual(['close r1', "status The model's result was for another scan and was set aside", 'jobEnded']);
  });

  /** Time point `t` of series 0 of scan `scanId` (each time point has its own volumeId), on a 2×2×`depth` grid. */
  const timePoint = (t: number, scanId = 's1', depth = 2) => ({
    header: { volumeId: `v${scanId}t${t}`, dimensions: [2, 2, depth] },
    source: { scanId, seriesIndex: 0 },
  });

  it('a run started records the volume shown, for its result to be matched by series', () => {
    const shown = timePoint(0) as unknown as ViewerState['volume'];
    const started = viewerReducer({ ...initialViewerState, volume: shown }, { type: 'jobStarted', jobId: 'j9' });
    expect(started.job?.volume).toBe(shown);
  });

  it('a result for time point 0 that ends while time point 2 is shown is kept, on the shown time point', async () => {
    const p = page({ ranOn: timePoint(0), shown: timePoint(2) });
    p.finish(result('vs1t0'));
    await p.settle();
    expect(p.log).toEqual(['show r1 on vs1t2', 'keep r1', 'segmentStats', 'jobEnded']);
  });

  it('a result for time point 0 appended while time point 2 is shown adds its segments', async () => {
    const p = page({ into: 'append', ranOn: timePoint(0), shown: timePoint(2) });
    p.finish(result('vs1t0'));
    await p.settle();
    expect(p.shown.store.getSnapshot().segments.map((s) => s.name)).toEqual(['liver']);
    expect(p.log[0]).toBe('close r1');
    expect(p.log[1]).toMatch(/^status Added 1 segment from the model/);
  });

  it('a result for another series, or the same series on another grid, is still set aside', async () => {
    for (const shown of [timePoint(2, 's2'), timePoint(2, 's1', 3)]) {
      const p = page({ ranOn: timePoint(0), shown });
      p.finish(result('vs1t0'));
      await p.settle();
      expect(p.log).toEqual(['close r1', "status The model's result was for another scan and was set aside", 'jobEnded']);
    }
  });

  it('counts the segments added, not the empty ones the model also named', async () => {
    const p = page({ into: 'append' });
    p.finish(result('v1'));
    await p.settle();
    expect(p.shown.store.getSnapshot().segments.map((s) => s.name)).toContain('liver');
    const status = p.log.find((l) => l.startsWith('status'))!;
    expect(status).toMatch(/^status Added 1 segment from the model in 1\.0 s; Undo takes them out again\n/);
    // The provider is for the Details, not the status line.
    expect(splitStatus(status.slice('status '.length))).toEqual({
      message: 'Added 1 segment from the model in 1.0 s; Undo takes them out again',
      details: ['Ran on the CPU in 1.0 s'],
    });
  });

  it('a result the segmentation has no room for (8 label layers) is let go in main too, and the user told what to do', async () => {
    const p = page({ into: 'append' });
    const full = session(
      'm1',
      0,
      Array.from({ length: 8 }, () => new Uint8Array(8)),
    );
    p.state.current = { ...p.state.current, segmentation: full };
    p.finish(result('v1'));
    await p.settle();
    expect(full.store.getSnapshot().layers).toHaveLength(8);
    expect(p.log[0]).toBe('close r1');
    const status = splitStatus(p.log[1]!.slice('status '.length));
    expect(status.message).toBe(
      "The model's result was not added: this segmentation has no room for more label layers. Save it, then run the model on a new one",
    );
    expect(status.details).toEqual([expect.stringMatching(/^the segmentation would hold 9 bytes of labels per voxel/) as unknown]);
    expect(p.log[2]).toBe('jobEnded');
  });

  it('reads the shown segmentation again after fetching the result: one replaced meanwhile is not appended to', async () => {
    const p = page({ into: 'append' });
    p.finish(result('v1'));
    // While the result's labels are fetched, other labels replace m1.
    const other = session('m2', 0);
    p.state.current = { ...p.state.current, segmentation: other };
    await p.settle();
    expect(p.shown.store.getSnapshot().segments).toEqual([]);
    expect(other.store.getSnapshot().segments).toEqual([]);
    expect(p.log).toContain('show r1 on v1');
  });

  it('a result shown as a segmentation of its own is then kept in main as unsaved work, and the page counts it', async () => {
    const p = page();
    p.finish(result('v1'));
    await p.settle();
    expect(p.log).toEqual(['show r1 on v1', 'keep r1', 'segmentStats', 'jobEnded']);
  });

  it('a result main could not journal is shown all the same, and the user told that a crash would lose it', async () => {
    const p = page({ unprotected: 'ENOSPC: no space left on device' });
    p.finish(result('v1'));
    await p.settle();
    expect(p.log.slice(0, 4)).toEqual([
      'show r1 on v1',
      'keep r1',
      'segmentStats',
      expect.stringMatching(/^error Your edits are kept, but a crash now would lose them/),
    ]);
    expect(splitStatus(p.log[4]!.slice('status '.length)).details).toEqual(['ENOSPC: no space left on device']);
  });

  it('a result whose scan was replaced while its labels were fetched is never kept, and set aside', async () => {
    const p = page({ showing: 'other-scan' });
    p.finish(result('v1'));
    await p.settle();
    expect(p.log).toEqual(['show r1 on v1', 'close r1', "status The model's result was for another scan and was set aside", 'jobEnded']);
  });

  it('a result whose time point moved on while its labels were fetched is shown on the new one, then kept', async () => {
    const p = page({ ranOn: timePoint(0), shown: timePoint(0), showing: 'time-step' });
    p.finish(result('vs1t0'));
    await p.settle();
    expect(p.log).toEqual(['show r1 on vs1t0', 'show r1 on vs1t1', 'keep r1', 'segmentStats', 'jobEnded']);
  });

  it('a result whose labels cannot be fetched is let go in main, never kept, and the failure said', async () => {
    const p = page({ showing: 'fails' });
    p.finish(result('v1'));
    await p.settle();
    expect(p.log).toEqual(['close r1', 'error Could not show the model result: the labels could not be fetched', 'jobEnded']);
  });

  it('a failed Save while placing the result says so in its own words, and sets the result aside', async () => {
    const p = page({ unsaved: 2, saveFails: true });
    p.finish(result('v1'));
    for (let n = 0; n < 50 && p.prompt.current() === null; n++) await new Promise((done) => setTimeout(done, 0));
    p.prompt.answer('save');
    await p.settle();
    expect(p.log).toEqual([
      'close r1',
      "error Could not save the segmentation: the disk is full. The model's result was set aside; run the model again for it.",
      'jobEnded',
    ]);
  });

  it("says the result was set aside on the first line, where main's own words go behind Details", async () => {
    const p = page({ unsaved: 2, saveFails: 'INTERNAL' });
    p.finish(result('v1'));
    for (let n = 0; n < 50 && p.prompt.current() === null; n++) await new Promise((done) => setTimeout(done, 0));
    p.prompt.answer('save');
    await p.settle();
    const error = p.log.find((line) => line.startsWith('error '))!;
    const [first, ...details] = error.split('\n');
    expect(first).toMatch(/^error Could not save the segmentation: .*\. The model's result was set aside; run the model again for it\.$/);
    expect(details.join('\n')).toContain('EACCES: permission denied');
  });
});
