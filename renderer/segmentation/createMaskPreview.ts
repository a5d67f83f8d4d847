/**
 * The preview/apply mechanism shared by the interactive tools (fill between
 * slices, region from a click, grow from seeds, DeepEdit click-to-segment).
 *
 * How a tool plugs in (each segmentation store has one preview, `store.preview`):
 * 1. Compute a mask for one segment: a `Uint8Array` of the store's grid, non-zero
 *    where the segment should go (in a worker for anything slow).
 * 2. `store.preview.propose({ segment, mask, tool: 'Grow from seeds' })`: every
 *    slice view draws it over the labels in a lighter colour of the segment,
 *    and the edit panel offers Apply and Cancel. Propose again to update it
 *    (a slider moved, a seed added); the newest proposal replaces the last.
 * 3. Apply writes it through the store as one `applyMask` command (one undo
 *    step, locked segments untouched, synced to main like any edit); Cancel
 *    drops it. Until Apply nothing reaches the store, main or the
 *    unsaved-edits journal.
 * A tool that takes clicks in the views calls `store.preview.setClickTool({ name,
 * onClick })`: while it is set, a left or right click (or Ctrl+click) in a
 * slice view goes to `onClick` with the voxel, its LPS world point, the button
 * and the Ctrl key, instead of painting or moving the crosshair. Set it back to
 * null when the tool is put away.
 */
import { labelColour } from '../../core/labels/labelColour.js';
import { findSegment } from './findSegment.js';
import { nextSegmentValue } from './nextSegmentValue.js';
import type { ClickTool, MaskPreview, PreviewState, SliceClick } from './MaskPreview.js';
import { SegmentationError } from './SegmentationError.js';
import type { NewSegmentRequest } from './NewSegmentRequest.js';
import type { Rgb, SegmentationStore } from './types.js';

/** The part of the store a preview works with. */
type PreviewStore = Pick<SegmentationStore, 'getSnapshot' | 'subscribe' | 'update'>;

/** How far the preview's colour goes from the segment's towards white (0: the segment's own). */
const lighten = 0.55;

/**
 * A preview for a store: empty, no click tool. It follows the store so that
 * a proposal whose segment is deleted goes, and a recoloured one follows.
 */
export function createMaskPreview(store: PreviewStore): MaskPreview {
  const listeners = new Set<() => void>();
  let state: PreviewState = Object.freeze({ proposal: null, colour: null, voxels: 0, clickTool: null, revision: 0 });
  const set = (change: Partial<Omit<PreviewState, 'revision'>>): void => {
    state = Object.freeze({ ...state, ...change, revision: state.revision + 1 });
    for (const listener of [...listeners]) listener();
  };
  /** The colour a segment created now would get, kept per store revision: finding the next free value reads all of layer 0. */
  let next: { readonly revision: number; readonly colour: Rgb } | null = null;
  const newSegmentColour = (request: NewSegmentRequest): Rgb => {
    if (request.colour) return request.colour;
    const { revision, segments, layers } = store.getSnapshot();
    if (next?.revision !== revision) next = { revision, colour: labelColour(nextSegmentValue(segments, layers[0]!) ?? 1) };
    return next.colour;
  };
  store.subscribe((event) => {
    const { proposal } = state;
    if (!proposal || !event.segmentsChanged) return;
    const key = proposal.segment;
    // A segment to be created follows the table: its colour is the next free label's.
    const segment =
      'create' in key ? { colour: newSegmentColour(key.create) } : store.getSnapshot().segments.find((s) => s.layer === key.layer && s.value === key.value);
    if (!segment) return set({ proposal: null, colour: null, voxels: 0 });
    const colour = lighter(segment.colour);
    if (colour.some((c, n) => c !== state.colour?.[n])) set({ colour });
  });
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    propose(proposal) {
      if (!proposal) return void (state.proposal && set({ proposal: null, colour: null, voxels: 0 }));
      const { segments, layers } = store.getSnapshot();
      const target = proposal.segment;
      // A segment created on Apply is shown in the colour it will get: its own, or the next free label's.
      const colour = 'create' in target ? newSegmentColour(target.create) : segments[findSegment(segments, target)]!.colour;
      const size = layers[0]!.length;
      if (proposal.mask.length !== size)
        throw new SegmentationError('LAYER_SIZE_MISMATCH', `the proposed mask has ${proposal.mask.length} voxels, the grid ${size}`);
      set({ proposal, colour: lighter(colour), voxels: countMarked(proposal.mask) });
    },
    setClickTool(tool: ClickTool | null) {
      if (tool !== state.clickTool) set({ clickTool: tool });
    },
    click(click: SliceClick) {
      const tool = state.clickTool;
      if (!tool) return false;
      tool.onClick(click);
      return true;
    },
    apply() {
      const { proposal } = state;
      if (!proposal) return false;
      set({ proposal: null, colour: null, voxels: 0 });
      const { segment, mask, mode, automatic } = proposal;
      const changed = store.update({ type: 'applyMask', segment, mask, ...(mode ? { mode } : {}), ...(automatic ? { automatic } : {}) });
      // A created segment is the table's last: the command appends it.
      const written = 'create' in segment ? (changed ? store.getSnapshot().segments.at(-1) : undefined) : segment;
      if (written) proposal.onApplied?.({ layer: written.layer, value: written.value });
      return changed;
    },
    cancel() {
      if (state.proposal) set({ proposal: null, colour: null, voxels: 0 });
    },
  };
}

/** A segment's colour moved towards white, so the preview reads as "not yet" beside the segment itself. */
export function lighter(colour: Rgb): Rgb {
  return [0, 1, 2].map((n) => Math.round(colour[n]! + (255 - colour[n]!) * lighten)) as unknown as Rgb;
}

function countMarked(mask: Uint8Array): number {
  let count = 0;
  for (let n = 0; n < mask.length; n++) if (mask[n] !== 0) count++;
  return count;
}
