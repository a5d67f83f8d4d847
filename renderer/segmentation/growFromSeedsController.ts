import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { VoxelBox } from '../../core/segmentation/growFromSeedsTypes.js';
import { growFromSeedsImage } from './growFromSeedsImage.js';
import { onScanValuesChange } from './growFromSeedsScanValues.js';
import { createGrowFromSeedsRunner, GROW_RETRY, type GrowFromSeedsRunner } from './growFromSeedsRunner.js';
import { growFromSeedsSeedMap } from '../../core/segmentation/growFromSeedsSeedMap.js';
import type { MaskProposal } from './MaskPreview.js';
import type { SegmentationStore } from './types.js';

/** How the tool grows. */
export interface GrowSettings {
  /** The segment whose grown region is proposed (the others' seeds compete with it). */
  readonly target: SegmentKey;
  readonly neighbourhood: 6 | 26;
  /** The user's box; none: the seeds' box widened by a tenth (Slicer's default). */
  readonly box?: VoxelBox;
}

/** What the tool shows after each grow. */
export interface GrowStatus {
  readonly phase: 'growing' | 'ready' | 'failed' | 'stopped';
  /** The last grow's proposed voxels, its time in the worker (ms), its box, whether it reused the one before. */
  readonly voxels?: number;
  readonly ms?: number;
  readonly box?: VoxelBox;
  readonly incremental?: boolean;
  /** Whether the last grow ran in the worker (false: on the page, where no worker could run). */
  readonly inWorker?: boolean;
  /** Why the last grow failed, in words. */
  readonly message?: string;
  /** Grows finished so far. */
  readonly grows: number;
}

/** A running grow-from-seeds tool on one store. */
export interface GrowFromSeedsController {
  /** Ends the worker, stops following the store and drops a proposal of its own that is still shown. */
  stop(): void;
}

/**
 * Grow from seeds as a tool: every segment's voxels are seeds (locked ones
 * barriers), grown in a worker; the target segment's region is proposed on
 * the store's preview, and grown again after each stroke or other edit (one
 * grow at a time; edits during a grow make one more). Once its proposal is
 * applied, cancelled or replaced by another tool's, the tool stops. When the
 * store's scan values change (another time point of a 4D series drawn), it
 * grows again on the new values.
 * @throws SegmentationError NO_SCAN_VALUES when the store has no scan values
 */
export function startGrowFromSeeds(store: SegmentationStore, settings: GrowSettings, onStatus: (status: GrowStatus) => void): GrowFromSeedsController {
  const valueAt = store.scanValue;
  if (!valueAt) throw Object.assign(new Error('grow from seeds needs the scan values'), { code: 'NO_SCAN_VALUES' });
  const { dimensions, spacing } = store.grid;
  const count = dimensions[0] * dimensions[1] * dimensions[2];
  const startRunner = (): GrowFromSeedsRunner =>
    createGrowFromSeedsRunner(
      { dimensions, spacing, neighbourhood: settings.neighbourhood, distancePenalty: 0, ...(settings.box ? { box: settings.box } : {}) },
      () => growFromSeedsImage(count, valueAt),
    );
  let runner = startRunner();
  let stopped = false;
  let busy = false;
  let again = false;
  let grows = 0;
  let ours: MaskProposal | null = null;
  /** Counts the runners started: a grow begun on an earlier one (on values no longer drawn) is let go. */
  let generation = 0;
  let restart: ReturnType<typeof setTimeout> | undefined;

  const report = (status: Omit<GrowStatus, 'grows'>): void => onStatus({ ...status, grows });
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    unfollowStore();
    unfollowPreview();
    unfollowValues();
    if (restart !== undefined) clearTimeout(restart);
    runner.dispose();
    if (ours && store.preview.getState().proposal === ours) store.preview.cancel();
    report({ phase: 'stopped' });
  };
  const grow = (): void => {
    if (stopped) return;
    if (busy) return void (again = true);
    busy = true;
    again = false;
    const { layers, segments } = store.getSnapshot();
    const { seeds, classes } = growFromSeedsSeedMap(layers, segments);
    const seedClass = 1 + classes.findIndex((k) => k.layer === settings.target.layer && k.value === settings.target.value);
    if (seedClass === 0) {
      busy = false;
      return report({ phase: 'failed', message: 'The segment to grow is locked or gone: unlock or choose another.' });
    }
    report({ phase: 'growing' });
    const made = generation;
    runner
      .grow(seeds, seedClass)
      .then(({ result, mask, voxels, ms, inWorker }) => {
        if (stopped || made !== generation) return;
        grows++;
        ours = { segment: settings.target, mask, tool: 'Grow from seeds' };
        store.preview.propose(ours);
        report({ phase: 'ready', voxels, ms, box: result.box, incremental: result.incremental, inWorker });
      })
      .catch((error: Error & { code?: string }) => {
        if (made !== generation) return;
        if (error.code === GROW_RETRY) again = true;
        else if (!stopped) report({ phase: 'failed', message: failureText(error) });
      })
      .finally(() => {
        if (made !== generation) return;
        busy = false;
        if (again) grow();
      });
  };
  /**
   * The scan values changed (another time point drawn): the worker's copy is of the old ones, so a new runner takes
   * the new ones and the seeds grow again there. Once per task, however many steps it took (cine).
   */
  const valuesChanged = (): void => {
    if (stopped) return;
    generation++;
    runner.dispose();
    runner = startRunner();
    busy = false;
    grow();
  };
  const unfollowValues = onScanValuesChange(valueAt, () => {
    if (restart !== undefined) clearTimeout(restart);
    restart = setTimeout(() => {
      restart = undefined;
      valuesChanged();
    }, 0);
  });
  const unfollowStore = store.subscribe((event) => {
    if (event.command !== 'paint' && event.command !== 'applyMask') queueMicrotask(grow);
  });
  const unfollowPreview = store.preview.subscribe(() => {
    const shown = store.preview.getState().proposal;
    if (ours && shown !== ours) queueMicrotask(stop);
  });
  grow();
  return { stop };
}

function failureText(error: Error & { code?: string }): string {
  if (error.code === 'GROW_TOO_FEW_SEEDS') return 'Paint seeds for two or more segments (one may be the background).';
  if (error.code === 'GROW_TOO_LARGE') return 'The region is too large to grow in at once: set a smaller box around the organ.';
  return `Could not grow from seeds: ${error.message}`;
}
