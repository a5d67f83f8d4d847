import type { GrowFromSeedsOptions, GrowFromSeedsResult, SeedMap } from '../../core/segmentation/growFromSeedsTypes.js';

/** One grow's result with one class's voxels as a whole-grid mask (made in the worker, so the page only shows it). */
export interface GrownClass {
  /** The grow, its labels left out (the mask holds what is shown). */
  readonly result: Omit<GrowFromSeedsResult, 'labels'>;
  /** 1 where the seed class grew, over the whole grid. */
  readonly mask: Uint8Array;
  /** Voxels the mask marks. */
  readonly voxels: number;
  /** The grow and the mask, in ms where they ran. */
  readonly ms: number;
  /** Whether they ran in the worker (false: on the page's thread, where no worker could run). */
  readonly inWorker: boolean;
}

/** What the page asks the grow-from-seeds worker. */
export type GrowWorkerRequest =
  /** A new session: the scan (transferred) and how to grow. */
  | { readonly type: 'start'; readonly options: GrowFromSeedsOptions }
  /** Grow this seed map (transferred) and mask seed class `seedClass` over the grid; `id` comes back with the answer. */
  | { readonly type: 'grow'; readonly id: number; readonly seeds: SeedMap; readonly seedClass: number };

/** The worker's answer to a 'grow' (or to a 'start' that failed, id -1). */
export type GrowWorkerAnswer =
  | { readonly ok: true; readonly id: number; readonly grown: GrownClass }
  | { readonly ok: false; readonly id: number; readonly code: string; readonly message: string };
