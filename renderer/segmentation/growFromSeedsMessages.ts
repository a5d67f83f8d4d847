import type { GrowFromSeedsOptions, GrowFromSeedsResult, SeedMap } from '../../core/segmentation/growFromSeedsTypes.js';

/** What the page asks the grow-from-seeds worker. */
export type GrowWorkerRequest =
  /** A new session: the scan (transferred) and how to grow. */
  | { readonly type: 'start'; readonly options: GrowFromSeedsOptions }
  /** Grow this seed map (transferred); `id` comes back with the answer. */
  | { readonly type: 'grow'; readonly id: number; readonly seeds: SeedMap };

/** The worker's answer to a 'grow' (or to a 'start' that failed, id -1). */
export type GrowWorkerAnswer =
  | { readonly ok: true; readonly id: number; readonly result: GrowFromSeedsResult; readonly ms: number }
  | { readonly ok: false; readonly id: number; readonly code: string; readonly message: string };
