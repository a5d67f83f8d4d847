import { describe, expect, it } from 'vitest';
import { labelColour } from '../../../../core/labels/labelColour.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { lighter } from '../../../../renderer/segmentation/createMaskPreview.js';
import type { SliceClick } from '../../../../renderer/segmentation/MaskPreview.js';
import type { SegmentationEvent } from '../../../../renderer/segmentation/types.js';
import { checksum, count, grid, mirrorOf, segment } from './segmentationFixtures.js';

const dims = [20, 20, 10] as const;
const voxels = dims[0] * dims[1] * dims[2];
const at = (i: number, j: number, k: number) => i + dims[0] * (j + dims[1] * k);

/** A box of voxels [lo, hi) on every axis. */
function boxMask(lo: number, hi: number): Uint8Array {
  const mask = new Uint8Array(voxels);
  for (let k = lo; k < Math.min(hi, dims[2]); k++) for (let j = lo; j < hi; j++) for (let i = lo; i < hi; i++) mask[at(i, j, k)] = 1;
  return mask;
}

describe('createMaskPreview: propose, apply, cancel', () => {
  it("a proposal that creates its segment shows the next free label's colour, follows the table, and Apply adds segment and voxels as one step", () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    const applied: unknown[] = [];
    store.preview.propose({
      segment: { create: { name: 'organ', algorithmName: 'm' } },
      mask: boxMask(2, 5),
      tool: 'Test',
      automatic: true,
      onApplied: (key) => applied.push(key),
    });
    expect(store.preview.getState().colour).toEqual(lighter(labelColour(2)));
    // Another segment takes value 2 meanwhile: the preview now shows the colour the new one will get.
    store.update({ type: 'addSegment', name: 'other' });
    expect(store.preview.getState().colour).toEqual(lighter(labelColour(3)));
    expect(store.preview.apply()).toBe(true);
    const after = store.getSnapshot();
    expect(after.segments.at(-1)).toMatchObject({ value: 3, name: 'organ', algorithmType: 'AUTOMATIC', algorithmName: 'm' });
    expect(count(after.layers[0]!, 3)).toBe(27);
    expect(applied).toEqual([{ layer: 0, value: 3 }]);
    store.update({ type: 'undo' });
    expect(store.getSnapshot().segments.map((s) => s.value)).toEqual([1, 2]);
    expect(count(store.getSnapshot().layers[0]!, 3)).toBe(0);
  });

  it('shows a proposal without touching the store, then applies it as one undo step that undo removes whole', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1, { colour: [200, 0, 100] })] });
    const events: SegmentationEvent[] = [];
    store.subscribe((e) => events.push(e));
    const mirror = mirrorOf(store.getSnapshot().layers);
    store.subscribe((e) => mirror.apply(e));
    let changes = 0;
    store.preview.subscribe(() => changes++);
    store.preview.propose({ segment: { layer: 0, value: 1 }, mask: boxMask(2, 8), tool: 'Test' });
    const shown = store.preview.getState();
    expect(shown.voxels).toBe(6 * 6 * 6);
    expect(shown.colour).toEqual([230, 140, 185]);
    expect(changes).toBe(1);
    expect(events).toHaveLength(0);
    expect(store.getSnapshot().revision).toBe(0);
    expect(count(store.getSnapshot().layers[0]!, 1)).toBe(0);

    expect(store.preview.apply()).toBe(true);
    expect(store.preview.getState().proposal).toBeNull();
    expect(count(store.getSnapshot().layers[0]!, 1)).toBe(216);
    expect(events.map((e) => e.command)).toEqual(['applyMask']);
    expect(checksum(mirror.layers[0]!)).toBe(checksum(store.getSnapshot().layers[0]!));
    expect(store.getSnapshot().undoDepth).toBe(1);
    store.update({ type: 'undo' });
    expect(count(store.getSnapshot().layers[0]!, 1)).toBe(0);
    store.update({ type: 'redo' });
    expect(count(store.getSnapshot().layers[0]!, 1)).toBe(216);
  });

  it('cancel drops the proposal and changes nothing', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    store.preview.propose({ segment: { layer: 0, value: 1 }, mask: boxMask(0, 5), tool: 'Test' });
    store.preview.cancel();
    expect(store.preview.getState().proposal).toBeNull();
    expect(store.preview.apply()).toBe(false);
    expect(store.getSnapshot().revision).toBe(0);
  });

  it('keeps locked segments and, in replace mode, clears the segment outside the mask', () => {
    const layer = new Uint8Array(voxels);
    layer[at(3, 3, 3)] = 2;
    layer[at(15, 15, 5)] = 1;
    const store = createSegmentationStore({ grid: grid(dims), layers: [layer], segments: [segment(1), segment(2, { locked: true })] });
    store.preview.propose({ segment: { layer: 0, value: 1 }, mask: boxMask(2, 8), tool: 'Test', mode: 'replace' });
    expect(store.preview.apply()).toBe(true);
    expect(layer[at(3, 3, 3)]).toBe(2);
    expect(layer[at(15, 15, 5)]).toBe(0);
    expect(count(layer, 1)).toBe(215);
    store.preview.propose({ segment: { layer: 0, value: 2 }, mask: boxMask(0, 10), tool: 'Test' });
    expect(store.preview.apply()).toBe(false);
    expect(count(layer, 2)).toBe(1);
  });

  it('keeps an AUTOMATIC segment AUTOMATIC for a model result, and turns it SEMIAUTOMATIC for a tool by hand', () => {
    const auto = segment(1, { algorithmType: 'AUTOMATIC', algorithmName: 'demo' });
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [auto] });
    store.preview.propose({ segment: { layer: 0, value: 1 }, mask: boxMask(0, 3), tool: 'Model', automatic: true });
    store.preview.apply();
    expect(store.getSnapshot().segments[0]!.algorithmType).toBe('AUTOMATIC');
    store.preview.propose({ segment: { layer: 0, value: 1 }, mask: boxMask(0, 4), tool: 'Fill' });
    store.preview.apply();
    expect(store.getSnapshot().segments[0]!.algorithmType).toBe('SEMIAUTOMATIC');
  });

  it('drops the proposal when its segment is deleted, follows a recolour, and refuses a mask of another size', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1), segment(2)] });
    store.preview.propose({ segment: { layer: 0, value: 2 }, mask: boxMask(0, 3), tool: 'Test' });
    store.update({ type: 'recolourSegment', segment: { layer: 0, value: 2 }, colour: [0, 0, 255] });
    expect(store.preview.getState().colour).toEqual(lighter([0, 0, 255]));
    store.update({ type: 'deleteSegment', segment: { layer: 0, value: 2 } });
    expect(store.preview.getState().proposal).toBeNull();
    expect(() => store.preview.propose({ segment: { layer: 0, value: 1 }, mask: new Uint8Array(7), tool: 'Test' })).toThrow(/7 voxels/);
  });

  it('hands clicks to the click tool only while one is set', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    const clicks: SliceClick[] = [];
    const click: SliceClick = { index: [1, 2, 3], world: [1, 2, 3], button: 'right', ctrlKey: false };
    expect(store.preview.click(click)).toBe(false);
    store.preview.setClickTool({ name: 'Probe', onClick: (c) => clicks.push(c) });
    expect(store.preview.getState().clickTool?.name).toBe('Probe');
    expect(store.preview.click(click)).toBe(true);
    store.preview.setClickTool(null);
    expect(store.preview.click(click)).toBe(false);
    expect(clicks).toEqual([click]);
  });
});
