import type { SegmentDef } from '../../core/contract.js';
import type { EditRecorder } from './createEditRecorder.js';
import type { SegmentationGrid } from './types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/** What a command handler works on: voxel writes go through the recorder; the table is replaced, never changed. */
export interface CommandContext {
  readonly grid: SegmentationGrid;
  /** The store's layer list; a handler may replace an entry (widening). */
  readonly layers: LabelArray[];
  readonly segments: readonly SegmentDef[];
  readonly recorder: EditRecorder;
  readonly scanValue: ((voxel: number) => number) | undefined;
}

/** What a handler did besides the voxel writes the recorder saw; null from a handler means it changed nothing. */
export interface CommandOutcome {
  /** The new table, when the command changed it. */
  readonly segments?: readonly SegmentDef[];
  /** Segments the table change concerned. */
  readonly touched?: readonly SegmentKey[];
  readonly layersReplaced?: boolean;
  /** Not an edit by hand (an appended model result): AUTOMATIC segments stay AUTOMATIC. */
  readonly unedited?: boolean;
}
