import type { Vec3 } from '../../core/geometry/types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { NewSegmentRequest } from './NewSegmentRequest.js';

/** A tool's proposed mask for one segment: shown over the views, not yet the user's work. */
export interface MaskProposal {
  /** The segment it proposes, or one it creates on Apply (the new segment and its voxels one undo step). */
  readonly segment: SegmentKey | { readonly create: NewSegmentRequest };
  /** Non-zero where the tool proposes the segment: one byte per voxel of the store's grid (i fastest). Not copied: do not change it after proposing. */
  readonly mask: Uint8Array;
  /** Who proposes it, in words for the preview bar ("Fill between slices"). */
  readonly tool: string;
  /** How Apply writes it (see ApplyMaskCommand): 'add' (default) or 'replace'. */
  readonly mode?: 'add' | 'replace';
  /** A model's result (AUTOMATIC stays AUTOMATIC on Apply). */
  readonly automatic?: boolean;
  /** Hears which segment an Apply wrote (the created one's key, for a proposal that creates one). */
  readonly onApplied?: (segment: SegmentKey) => void;
}

/** A click in a slice view while a click tool is active. */
export interface SliceClick {
  /** The voxel under the pointer (integers, inside the volume). */
  readonly index: Vec3;
  /** That voxel's centre in LPS world mm. */
  readonly world: Vec3;
  readonly button: 'left' | 'right';
  readonly ctrlKey: boolean;
}

/** A tool that takes clicks in the slice views instead of the brush (region from a click, click-to-segment). */
export interface ClickTool {
  /** In words, for the views' hint ("Region from a click"). */
  readonly name: string;
  onClick(click: SliceClick): void;
}

/** What the views draw and the tools show: a new object after every change. */
export interface PreviewState {
  readonly proposal: MaskProposal | null;
  /** The proposal's segment colour, lightened for the preview. */
  readonly colour: readonly [number, number, number] | null;
  /** Voxels the proposal marks. */
  readonly voxels: number;
  readonly clickTool: ClickTool | null;
  /** Increments with every change (the views recut the preview when it changes). */
  readonly revision: number;
}

/** The preview and click-tool port of one segmentation store; see createMaskPreview for how a tool plugs in. */
export interface MaskPreview {
  getState(): PreviewState;
  /** Called after every change; returns the unsubscribe function (fits React's useSyncExternalStore). */
  subscribe(listener: () => void): () => void;
  /**
   * Shows a proposal (replacing any before it), or none.
   * @throws SegmentationError SEGMENT_NOT_FOUND; LAYER_SIZE_MISMATCH for a mask of another size
   */
  propose(proposal: MaskProposal | null): void;
  /** Makes a tool take the views' clicks, or none (the brush and navigation take them again). */
  setClickTool(tool: ClickTool | null): void;
  /** Hands a view's click to the click tool; false when none is active. */
  click(click: SliceClick): boolean;
  /** Writes the proposal into the store as one undo step and drops it; false when there was none or nothing changed. */
  apply(): boolean;
  /** Drops the proposal (the store is untouched). */
  cancel(): void;
}
