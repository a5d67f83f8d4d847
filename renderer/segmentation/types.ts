import type { SegmentDef } from '../../core/contract.js';
import type { Axis, Mat3, Vec3 } from '../../core/geometry/types.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { MaskPreview } from './MaskPreview.js';
import type { NewSegmentRequest } from './NewSegmentRequest.js';

/** The part of a volume's geometry the segmentation needs: voxel counts and the index → LPS (mm) axes. */
export interface SegmentationGrid {
  readonly dimensions: Vec3;
  readonly spacing: Vec3;
  /** direction[a] is the LPS unit vector of index axis a. */
  readonly direction: Mat3;
}

/** Run-length encoded voxels of one layer: uint32 triples (first voxel, voxel count, value), in ascending voxel order. */
export interface LayerRuns {
  readonly layer: number;
  readonly runs: Uint32Array;
}

export type Rgb = readonly [number, number, number];

/** Inclusive range of the scan's real (rescaled) values a threshold brush may paint. */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Brush dabs along one piece of a drag. Consecutive centres are joined by
 * dabs close enough to leave no gaps; within an open stroke the first centre
 * is joined to the previous paint command's last centre as well.
 */
export interface PaintCommand {
  readonly type: 'paint';
  readonly segment: SegmentKey;
  /** Continuous voxel indices (i, j, k) of the dab centres. */
  readonly centres: readonly Vec3[];
  /** Voxels whose centres lie within this world distance of a dab centre are covered. */
  readonly radiusMm: number;
  /** disc: only slice round(centre[planeAxis]); sphere: 3D. */
  readonly shape: 'disc' | 'sphere';
  /** The index axis held fixed by a disc (the view's slice axis). */
  readonly planeAxis: Axis;
  /** Clears this segment's voxels instead of painting. */
  readonly erase: boolean;
  /** Only voxels whose scan value lies in this range are painted (or erased). */
  readonly threshold?: ValueRange;
}

/** Every change to a segmentation; passed to {@link SegmentationStore.update}. */
export type SegmentationCommand =
  /** A new empty segment; `algorithmName` makes it a model's (AUTOMATIC until edited by hand, as click-to-segment's is). */
  | { readonly type: 'addSegment'; readonly name?: string; readonly colour?: Rgb; readonly algorithmName?: string }
  | { readonly type: 'renameSegment'; readonly segment: SegmentKey; readonly name: string }
  | { readonly type: 'recolourSegment'; readonly segment: SegmentKey; readonly colour: Rgb }
  | { readonly type: 'lockSegment'; readonly segment: SegmentKey; readonly locked: boolean }
  | { readonly type: 'deleteSegment'; readonly segment: SegmentKey }
  | PaintCommand
  /** Per slice (4-connected) across planeAxis when given, else in 3D (6-connected). */
  | { readonly type: 'fillHoles'; readonly segment: SegmentKey; readonly planeAxis?: Axis }
  /** Drops 26-connected components smaller than minVoxels. */
  | { readonly type: 'removeIslands'; readonly segment: SegmentKey; readonly minVoxels: number }
  /** Keeps only the largest 26-connected component. */
  | { readonly type: 'keepLargest'; readonly segment: SegmentKey }
  /**
   * Adds another segmentation's segments (a model's result) as new label
   * layers after the existing ones, each value renumbered after the largest
   * in use; the existing layers and table are untouched. One undo step.
   */
  | AppendSegmentsCommand
  /** A tool's proposed mask (fill between slices, a region, a model's click result) made part of a segment. One undo step. */
  | ApplyMaskCommand
  | { readonly type: 'beginStroke' }
  | { readonly type: 'endStroke' }
  | { readonly type: 'undo' }
  | { readonly type: 'redo' };

/** See {@link SegmentationCommand}: `layers` on the store's grid, `segments` naming their values (voxels of other values are left out). */
export interface AppendSegmentsCommand {
  readonly type: 'appendSegments';
  readonly layers: readonly LabelArray[];
  readonly segments: readonly SegmentDef[];
}

/**
 * See {@link SegmentationCommand}. Voxels of locked segments never change;
 * the rest of the segment's layer follows the brush's rule (other unlocked
 * segments' voxels are taken over).
 */
export interface ApplyMaskCommand {
  readonly type: 'applyMask';
  /** The segment the mask goes to, or one to create with it. */
  readonly segment: SegmentKey | { readonly create: NewSegmentRequest };
  /** Non-zero where the segment goes: one byte per voxel of the store's grid (i fastest). */
  readonly mask: Uint8Array;
  /** 'add' (the default): the mask's voxels join the segment; 'replace': the segment becomes the mask (its voxels outside it are cleared). */
  readonly mode?: 'add' | 'replace';
  /** A model's result: an AUTOMATIC segment stays AUTOMATIC (otherwise an applied mask is an edit by hand, as a brush stroke is). */
  readonly automatic?: boolean;
}

/** The store's state at one revision. A new (frozen) object after every change. */
export interface SegmentationSnapshot {
  /** The live label arrays (changed in place; an entry is replaced only when layer 0 widens to 16 bits). */
  readonly layers: readonly LabelArray[];
  readonly segments: readonly SegmentDef[];
  /** Increments with every event. */
  readonly revision: number;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Undo steps held. */
  readonly undoDepth: number;
  /** Bytes the undo and redo steps hold. */
  readonly undoBytes: number;
}

/** What one change did; sent to subscribers after the snapshot is updated. */
export interface SegmentationEvent {
  readonly revision: number;
  /** The command that made the change. */
  readonly command: SegmentationCommand['type'];
  /** The new values of exactly the voxels that changed, per layer (empty when only the table or the history changed). */
  readonly edits: readonly LayerRuns[];
  readonly segmentsChanged: boolean;
  /** Segments whose voxels or table entry changed, by layer then value. */
  readonly touchedSegments: readonly SegmentKey[];
  /** A layer array was replaced (layer 0 widened from 8 to 16 bits): re-read snapshot.layers. */
  readonly layersReplaced: boolean;
}

/** How a store starts. */
export interface SegmentationStoreInit {
  readonly grid: SegmentationGrid;
  /** Taken over (not copied) and changed in place; none gives one empty uint8 layer. */
  readonly layers: readonly LabelArray[];
  readonly segments: readonly SegmentDef[];
  /** The scan's real (rescaled) value at a voxel number, for threshold painting. */
  readonly scanValue?: (voxel: number) => number;
  /** Undo steps kept (default 100). */
  readonly maxUndo?: number;
  /** Bytes the undo history may hold before the oldest steps go (default 256 MiB). */
  readonly maxUndoBytes?: number;
}

/** One segmentation's data, its history and its subscribers. */
export interface SegmentationStore {
  getSnapshot(): SegmentationSnapshot;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: SegmentationEvent) => void): () => void;
  /**
   * Applies one command; returns whether anything changed (an event was sent).
   * @throws SegmentationError on an unknown segment, an invalid argument, or a call from inside a listener.
   */
  update(command: SegmentationCommand): boolean;
  /** The proposal shown over the views before it is applied, and the click tool (see createMaskPreview). */
  readonly preview: MaskPreview;
  /** The grid the layers are on (for tools that compute a mask). */
  readonly grid: SegmentationGrid;
  /** The scan's real (rescaled) value at a voxel number, when the store was given it (init.scanValue). */
  readonly scanValue: ((voxel: number) => number) | undefined;
}
