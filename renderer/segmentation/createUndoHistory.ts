import type { SegmentDef } from '../../core/contract.js';
import type { LayerDiff } from './createEditRecorder.js';

/** One undoable change: per layer the changed voxels' old and new runs, and the segment table around it when that changed. */
export interface UndoStep {
  readonly layers: readonly LayerDiff[];
  readonly segmentsBefore: readonly SegmentDef[] | null;
  readonly segmentsAfter: readonly SegmentDef[] | null;
  /** What the step holds, in bytes (table entries estimated). */
  readonly bytes: number;
}

export interface UndoHistoryLimits {
  readonly maxSteps: number;
  readonly maxBytes: number;
}

/** Undo and redo stacks of {@link UndoStep}s, trimmed from the oldest end. */
export interface UndoHistory {
  readonly undoDepth: number;
  readonly redoDepth: number;
  /** Bytes held by both stacks. */
  readonly bytes: number;
  /** Adds a new change's step (sizing it): clears redo, then drops the oldest steps past the limits (never the newest). */
  record(step: Omit<UndoStep, 'bytes'>): void;
  /** Moves the newest step to the redo stack and returns it (for the caller to reverse). */
  undo(): UndoStep | undefined;
  /** Moves the newest undone step back and returns it (for the caller to re-apply). */
  redo(): UndoStep | undefined;
  clearRedo(): void;
}

const bytesPerSegment = 160;

/** An empty history with these limits. */
export function createUndoHistory(limits: UndoHistoryLimits): UndoHistory {
  const done: UndoStep[] = [];
  const undone: UndoStep[] = [];
  let bytes = 0;
  return {
    get undoDepth() {
      return done.length;
    },
    get redoDepth() {
      return undone.length;
    },
    get bytes() {
      return bytes;
    },
    record(parts) {
      this.clearRedo();
      const step = { ...parts, bytes: stepBytes(parts) };
      done.push(step);
      bytes += step.bytes;
      while (done.length > 1 && (done.length > limits.maxSteps || bytes > limits.maxBytes)) bytes -= done.shift()!.bytes;
    },
    undo() {
      const step = done.pop();
      if (step) undone.push(step);
      return step;
    },
    redo() {
      const step = undone.pop();
      if (step) done.push(step);
      return step;
    },
    clearRedo() {
      for (const step of undone) bytes -= step.bytes;
      undone.length = 0;
    },
  };
}

function stepBytes(step: Omit<UndoStep, 'bytes'>): number {
  let bytes = 0;
  for (const d of step.layers) bytes += d.oldRuns.byteLength + d.newRuns.byteLength;
  return bytes + ((step.segmentsBefore?.length ?? 0) + (step.segmentsAfter?.length ?? 0)) * bytesPerSegment;
}
