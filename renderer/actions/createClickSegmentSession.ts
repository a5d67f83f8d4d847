import type { AxialApi, ClickPointDef, EventTypes, MaskHeader, VolumeHeader } from '../../core/contract.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import { unwrap } from '../api/callApi.js';
import type { InferenceDevice } from '../api/gpuDevice.js';
import { loadMask } from '../data/loadData.js';
import type { MaskProposal, SliceClick } from '../segmentation/MaskPreview.js';
import type { SegmentationStore } from '../segmentation/types.js';

export type ClickSegmentApi = Pick<AxialApi, 'on' | 'segmentation:run' | 'mask:close'>;

export interface ClickSegmentSessionParams {
  readonly api: ClickSegmentApi;
  readonly volume: VolumeHeader;
  readonly store: SegmentationStore;
  readonly device: InferenceDevice;
  /** Called whenever the clicks or the running state change. */
  readonly onChange: (state: ClickSegmentState) => void;
}

export interface ClickSegmentState {
  readonly foreground: number;
  readonly background: number;
  /** A run for the latest clicks is under way. */
  readonly running: boolean;
  /** The last run's failure, in words; null after a success. */
  readonly error: string | null;
  /** The model's seconds for the shown preview. */
  readonly seconds: number | null;
}

export interface ClickSegmentSession {
  /** A click from the views: left adds a foreground point, right or Ctrl+left a background point; the model reruns. */
  click(click: SliceClick): void;
  /** Forgets the clicks and drops the preview. */
  clear(): void;
  /** Stops following results (a run still under way is let go when it ends). */
  dispose(): void;
}

type Finished = EventTypes['segmentation:done']['result'];

/**
 * Click-to-segment with the interactive (DeepEdit) demo model: every click reruns the model in the inference
 * process on the whole scan, as DeepEdit models are trained (on a 128-voxel box around the clicks the demo scored
 * 0.71-0.82 Dice against 0.87-0.91 on the whole scan, at 152 against 304 ms a click). Its result becomes the
 * store's preview for one segment, which the preview bar applies as one undo step (or cancels). Results of runs
 * overtaken by a later click are let go. The first Apply creates the segment (named after the model's label) with
 * its voxels, one undo step; an unapplied result leaves no segment behind.
 */
export function createClickSegmentSession(params: ClickSegmentSessionParams): ClickSegmentSession {
  const { api, volume, store } = params;
  const points: ClickPointDef[] = [];
  const waiting = new Map<string, (result: Finished) => void>();
  /** Results that arrived before their run call answered (the event and the answer travel separately). */
  const early = new Map<string, Finished>();
  let latest = 0;
  let segment: SegmentKey | null = null;
  let state: ClickSegmentState = { foreground: 0, background: 0, running: false, error: null, seconds: null };
  let disposed = false;
  /** Runs not yet ended: after dispose the session still hears their results, so main's copies are closed. */
  let inFlight = 0;
  /** This session's proposal while the preview shows it. */
  let proposed: MaskProposal | null = null;
  const set = (change: Partial<ClickSegmentState>): void => {
    state = { ...state, ...change };
    if (!disposed) params.onChange(state);
  };
  const off = api.on('segmentation:done', ({ jobId, result }) => {
    const resolve = waiting.get(jobId);
    if (resolve) {
      waiting.delete(jobId);
      resolve(result);
    } else if (inFlight > 0) {
      // Possibly one of ours whose run call has not answered yet; other model runs' results pass through too, so only a few are kept.
      early.set(jobId, result);
      if (early.size > 16) early.delete(early.keys().next().value!);
    }
  });
  const outcome = (jobId: string): Promise<Finished> => {
    const arrived = early.get(jobId);
    early.delete(jobId);
    return arrived ? Promise.resolve(arrived) : new Promise((resolve) => waiting.set(jobId, resolve));
  };

  const propose = (proposal: MaskProposal | null): void => {
    proposed = proposal;
    store.preview.propose(proposal);
  };

  /** Whether run `run` is still the one to show (no later click, Clear or Stop). */
  const current = (run: number): boolean => run === latest && !disposed;

  const show = async (run: number, header: MaskHeader, seconds: number): Promise<void> => {
    const found = header.segments[0];
    const { layers } = await loadMask(header, volume);
    // A click, Clear or Stop while the labels loaded makes them stale.
    if (!current(run)) return;
    const labels = layers[found?.layer ?? 0];
    const mask = new Uint8Array(labels?.length ?? 0);
    let voxels = 0;
    if (labels && found) {
      for (let n = 0; n < labels.length; n++) {
        if (labels[n] === found.value) {
          mask[n] = 1;
          voxels++;
        }
      }
    }
    const algorithmName = found?.algorithmName ?? 'click to segment';
    // The applied segment, still there and still the model's: after an Undo its value may be a segment drawn by hand.
    const kept =
      segment !== null &&
      store.getSnapshot().segments.some((s) => s.layer === segment!.layer && s.value === segment!.value && s.algorithmName === algorithmName);
    if (!kept && (voxels === 0 || !found)) {
      // Only this session's own preview goes (another tool's stays).
      if (proposed && store.preview.getState().proposal === proposed) propose(null);
      return;
    }
    // Until the first Apply the segment is created by it, named after the model's label (the model's colour for its
    // label would repeat the first segment's: the store picks the next): one undo step takes back both, and an
    // unapplied result leaves nothing behind. Later results replace the applied segment.
    const target = kept ? segment! : { create: { name: found!.name, algorithmName } };
    propose({ segment: target, mask, tool: 'Click to segment', mode: 'replace', automatic: true, onApplied: (key) => (segment = key) });
    set({ seconds });
  };

  const run = async (): Promise<void> => {
    const run = ++latest;
    inFlight++;
    set({ running: true, error: null });
    try {
      const { jobId } = await unwrap(
        api['segmentation:run']({ volumeId: volume.volumeId, model: 'demo-interactive', device: params.device, points: [...points], roi: 'scan' }),
      );
      const result = await outcome(jobId);
      if (!result.ok) throw new Error(result.error.message);
      try {
        if (current(run)) await show(run, result.value, result.value.seconds);
      } finally {
        // The store holds what it needs now; main's copy of the result is no longer needed.
        await unwrap(api['mask:close']({ maskId: result.value.maskId }));
      }
      if (run === latest) set({ running: false });
    } catch (error) {
      if (run === latest) set({ running: false, error: error instanceof Error ? error.message : String(error) });
    } finally {
      inFlight--;
      if (disposed && inFlight === 0) off();
    }
  };

  return {
    click(click) {
      const kind = click.button === 'right' || click.ctrlKey ? 'bg' : 'fg';
      points.push({ kind, world: [...click.world] });
      set({ foreground: state.foreground + (kind === 'fg' ? 1 : 0), background: state.background + (kind === 'bg' ? 1 : 0) });
      void run();
    },
    clear() {
      points.length = 0;
      latest++;
      if (proposed && store.preview.getState().proposal === proposed) propose(null);
      set({ foreground: 0, background: 0, running: false, error: null, seconds: null });
    },
    dispose() {
      disposed = true;
      latest++;
      if (inFlight === 0) off();
    },
  };
}
