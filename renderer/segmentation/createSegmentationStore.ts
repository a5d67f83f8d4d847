import type { SegmentDef } from '../../core/contract.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { applyAppend } from './applyAppend.js';
import { applyCleanup } from './applyCleanup.js';
import { applyMask } from './applyMask.js';
import { applyPaint } from './applyPaint.js';
import { applyTableCommand } from './applyTableCommand.js';
import type { CommandContext, CommandOutcome } from './CommandContext.js';
import { createEditRecorder } from './createEditRecorder.js';
import { createMaskPreview } from './createMaskPreview.js';
import { createUndoHistory, type UndoStep } from './createUndoHistory.js';
import { decodeRuns } from './decodeRuns.js';
import { markEditedSegments } from './markEditedSegments.js';
import { SegmentationError } from './SegmentationError.js';
import type {
  PaintCommand,
  SegmentationCommand,
  SegmentationEvent,
  SegmentationGrid,
  SegmentationSnapshot,
  SegmentationStore,
  SegmentationStoreInit,
} from './types.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import type { MaskPreview } from './MaskPreview.js';
import { validSegment } from './validSegment.js';

/** The changes that will make one undo step: one command, or every paint of a stroke. */
interface Transaction {
  readonly stroke: boolean;
  segmentsBefore: readonly SegmentDef[] | null;
  /** The last dab of the stroke's latest paint command, and which brush made it. */
  lastDab: { readonly brush: string; readonly centre: Vec3 } | null;
}

type EventBody = Omit<SegmentationEvent, 'revision'>;

/**
 * Creates a segmentation store: the one owner of a segmentation's label
 * layers and segment table. Every change goes through `update`; each change
 * makes a new snapshot and sends one event carrying the new values of
 * exactly the voxels that changed. Undo steps hold run-length encoded old
 * and new values of the changed voxels only. Commands aimed at a locked
 * segment's voxels (paint, erase, clean-ups, applyMask, delete) change nothing and
 * return false.
 * @throws SegmentationError LAYER_SIZE_MISMATCH, INVALID_SEGMENT or INVALID_ARGUMENT for an inconsistent `init`
 */
export function createSegmentationStore(init: SegmentationStoreInit): SegmentationStore {
  return new Store(init);
}

class Store implements SegmentationStore {
  private readonly layers: LabelArray[];
  private segments: readonly SegmentDef[];
  private readonly recorder = createEditRecorder();
  private readonly history;
  private readonly listeners = new Set<(event: SegmentationEvent) => void>();
  private revision = 0;
  private snapshot: SegmentationSnapshot;
  /** The open stroke (between beginStroke and endStroke). */
  private stroke: Transaction | null = null;
  private emitting = false;
  /** A step was recorded that no event has announced yet. */
  private historyChanged = false;
  readonly preview: MaskPreview;

  constructor(private readonly init: SegmentationStoreInit) {
    this.layers = initialLayers(init);
    this.segments = initialSegments(init.segments, this.layers);
    const maxSteps = init.maxUndo ?? 100;
    if (!(Number.isInteger(maxSteps) && maxSteps >= 1)) throw new SegmentationError('INVALID_ARGUMENT', `maxUndo ${maxSteps}`);
    this.history = createUndoHistory({ maxSteps, maxBytes: init.maxUndoBytes ?? 256 * 1024 * 1024 });
    this.snapshot = this.makeSnapshot();
    this.preview = createMaskPreview(this);
  }

  getSnapshot(): SegmentationSnapshot {
    return this.snapshot;
  }

  get grid(): SegmentationGrid {
    return this.init.grid;
  }

  get scanValue(): ((voxel: number) => number) | undefined {
    return this.init.scanValue;
  }

  subscribe(listener: (event: SegmentationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update(command: SegmentationCommand): boolean {
    if (this.emitting) throw new SegmentationError('REENTRANT_UPDATE', 'update was called from a segmentation listener');
    try {
      return this.dispatch(command);
    } finally {
      if (this.historyChanged) this.emit({ command: command.type, edits: [], segmentsChanged: false, touchedSegments: [], layersReplaced: false });
    }
  }

  private dispatch(command: SegmentationCommand): boolean {
    switch (command.type) {
      case 'beginStroke':
        this.endStroke();
        this.stroke = { stroke: true, segmentsBefore: null, lastDab: null };
        return false;
      case 'endStroke':
        this.endStroke();
        return this.historyChanged;
      case 'undo':
      case 'redo':
        this.endStroke();
        return this.travel(command.type);
      case 'paint':
        return this.run(command, this.stroke ?? { stroke: false, segmentsBefore: null, lastDab: null });
      default:
        this.endStroke();
        return this.run(command, { stroke: false, segmentsBefore: null, lastDab: null });
    }
  }

  private run(command: Exclude<SegmentationCommand, { type: 'beginStroke' | 'endStroke' | 'undo' | 'redo' }>, tx: Transaction): boolean {
    const ctx: CommandContext = {
      grid: this.init.grid,
      layers: this.layers,
      segments: this.segments,
      recorder: this.recorder,
      scanValue: this.init.scanValue,
    };
    let outcome: CommandOutcome | null;
    switch (command.type) {
      case 'paint': {
        const brush = brushOf(command);
        const last = applyPaint(ctx, command, tx.lastDab?.brush === brush ? tx.lastDab.centre : undefined);
        if (last) tx.lastDab = { brush, centre: last };
        outcome = last ? {} : null;
        break;
      }
      case 'fillHoles':
      case 'removeIslands':
      case 'keepLargest':
        outcome = applyCleanup(ctx, command) ? {} : null;
        break;
      case 'appendSegments':
        outcome = applyAppend(ctx, command);
        break;
      case 'applyMask':
        outcome = applyMask(ctx, command);
        break;
      default:
        outcome = applyTableCommand(ctx, command);
    }
    return this.finish(command.type, tx, outcome);
  }

  /** Takes in a command's changes: the table, AUTOMATIC → SEMIAUTOMATIC, the undo step (unless in a stroke), the event. */
  private finish(type: SegmentationCommand['type'], tx: Transaction, outcome: CommandOutcome | null): boolean {
    const { edits, touched } = this.recorder.takeCommandEdits();
    const before = this.segments;
    const table = outcome?.unedited ? (outcome.segments ?? before) : markEditedSegments(outcome?.segments ?? before, touched);
    const segmentsChanged = table !== before;
    if (segmentsChanged) {
      tx.segmentsBefore ??= before;
      this.segments = table;
    }
    if (!tx.stroke) this.commit(tx);
    const layersReplaced = outcome?.layersReplaced ?? false;
    if (edits.length === 0 && !segmentsChanged && !layersReplaced) return false;
    this.history.clearRedo();
    const touchedSegments = segmentKeys([...(outcome?.touched ?? []), ...touched], [before, table]);
    this.emit({ command: type, edits, segmentsChanged, touchedSegments, layersReplaced });
    return true;
  }

  private endStroke(): void {
    const stroke = this.stroke;
    this.stroke = null;
    if (stroke) this.commit(stroke);
  }

  /** Records a transaction's net change as one undo step (none when nothing changed). */
  private commit(tx: Transaction): void {
    const layers = this.recorder.commit();
    if (layers.length === 0 && !tx.segmentsBefore) return;
    this.history.record({ layers, segmentsBefore: tx.segmentsBefore, segmentsAfter: tx.segmentsBefore ? this.segments : null });
    this.historyChanged = true;
  }

  /** Undoes or redoes one step, writing its old or new runs back. */
  private travel(direction: 'undo' | 'redo'): boolean {
    const step = direction === 'undo' ? this.history.undo() : this.history.redo();
    if (!step) return false;
    const edits = step.layers.map((d) => {
      const runs = direction === 'undo' ? d.oldRuns : d.newRuns;
      decodeRuns(runs, this.layers[d.layer]!);
      return { layer: d.layer, runs };
    });
    const before = this.segments;
    const table = direction === 'undo' ? step.segmentsBefore : step.segmentsAfter;
    if (table) this.segments = table;
    const touchedSegments = segmentKeys(stepKeys(step), [before, this.segments]);
    this.emit({ command: direction, edits, segmentsChanged: table !== null && table !== before, touchedSegments, layersReplaced: false });
    return true;
  }

  private emit(body: EventBody): void {
    this.revision++;
    this.historyChanged = false;
    this.snapshot = this.makeSnapshot();
    const event: SegmentationEvent = Object.freeze({ revision: this.revision, ...body });
    this.emitting = true;
    try {
      for (const listener of [...this.listeners]) listener(event);
    } finally {
      this.emitting = false;
    }
  }

  private makeSnapshot(): SegmentationSnapshot {
    const { history } = this;
    return Object.freeze({
      layers: Object.freeze([...this.layers]),
      segments: this.segments,
      revision: this.revision,
      canUndo: history.undoDepth > 0,
      canRedo: history.redoDepth > 0,
      undoDepth: history.undoDepth,
      undoBytes: history.bytes,
    });
  }
}

/** Paint commands with the same brush continue one another's drag. */
function brushOf(c: PaintCommand): string {
  return [c.segment.layer, c.segment.value, c.shape, c.planeAxis, c.erase, c.radiusMm, c.threshold?.min, c.threshold?.max].join(':');
}

/** Label values a step wrote, as keys. */
function stepKeys(step: UndoStep): SegmentKey[] {
  const keys: SegmentKey[] = [];
  for (const d of step.layers) {
    for (const runs of [d.oldRuns, d.newRuns]) for (let r = 2; r < runs.length; r += 3) keys.push({ layer: d.layer, value: runs[r]! });
  }
  for (const table of [step.segmentsBefore, step.segmentsAfter]) if (table) keys.push(...changedEntries(step.segmentsBefore ?? [], table));
  return keys;
}

/** Entries of `table` that `other` lacks or holds differently (entries are frozen, so identity tells). */
function changedEntries(other: readonly SegmentDef[], table: readonly SegmentDef[]): SegmentDef[] {
  const held = new Set(other);
  return table.filter((s) => !held.has(s));
}

/** Distinct {layer, value} keys of segments found in any of the tables, by layer then value. */
function segmentKeys(keys: readonly SegmentKey[], tables: readonly (readonly SegmentDef[])[]): SegmentKey[] {
  const known = new Set(tables.flatMap((t) => t.map((s) => `${s.layer}:${s.value}`)));
  const seen = new Set<string>();
  const out: SegmentKey[] = [];
  for (const { layer, value } of keys) {
    const id = `${layer}:${value}`;
    if (seen.has(id) || !known.has(id)) continue;
    seen.add(id);
    out.push({ layer, value });
  }
  return out.sort((a, b) => a.layer - b.layer || a.value - b.value);
}

/** The layers to edit, checked against the grid; one empty uint8 layer when none is given. */
function initialLayers(init: SegmentationStoreInit): LabelArray[] {
  const { dimensions, spacing } = init.grid;
  if (!dimensions.every((d) => Number.isInteger(d) && d > 0) || !spacing.every((s) => Number.isFinite(s) && s > 0)) {
    throw new SegmentationError('INVALID_ARGUMENT', `grid ${dimensions.join('×')} at ${spacing.join('×')} mm`);
  }
  const count = dimensions[0] * dimensions[1] * dimensions[2];
  if (init.layers.length === 0) return [new Uint8Array(count)];
  for (const [k, layer] of init.layers.entries()) {
    if (layer.length !== count) throw new SegmentationError('LAYER_SIZE_MISMATCH', `layer ${k} has ${layer.length} voxels, the grid ${count}`);
  }
  return [...init.layers];
}

/** The segment table, checked (schema, layer exists, value fits the layer, no duplicates) and frozen. */
function initialSegments(segments: readonly SegmentDef[], layers: readonly LabelArray[]): readonly SegmentDef[] {
  const seen = new Set<string>();
  return Object.freeze(
    segments.map((s) => {
      const def = validSegment(s);
      const id = `${def.layer}:${def.value}`;
      const layer = layers[def.layer];
      if (!layer || seen.has(id) || (layer instanceof Uint8Array && def.value > 0xff)) {
        throw new SegmentationError('INVALID_SEGMENT', `segment ${def.name} (layer ${def.layer}, value ${def.value}) does not fit the layers`);
      }
      seen.add(id);
      return def;
    }),
  );
}
