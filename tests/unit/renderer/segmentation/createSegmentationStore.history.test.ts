import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import type { PaintCommand, SegmentationStore } from '../../../../renderer/segmentation/types.js';
import { checksum, grid, mirrorOf, randomSource, segment } from './segmentationFixtures.js';

const dims: Vec3 = [40, 36, 12];

function paint(value: number, centres: Vec3[], extra: Partial<PaintCommand> = {}): PaintCommand {
  return { type: 'paint', segment: { layer: 0, value }, centres, radiusMm: 3, shape: 'disc', planeAxis: 2, erase: false, ...extra };
}

/** A stroke of a few drag pieces with a random brush: paints segment 1 or 2, or erases the scattered segment 3. */
function randomStroke(store: SegmentationStore, random: () => number): boolean {
  const erase = random() < 0.25;
  const value = erase ? 3 : 1 + Math.floor(random() * 2);
  const shape = random() < 0.5 ? 'disc' : 'sphere';
  const point = (): Vec3 => [random() * dims[0], random() * dims[1], random() * dims[2]];
  store.update({ type: 'beginStroke' });
  for (let piece = 0; piece < 3; piece++) store.update(paint(value, [point(), point()], { shape, erase, radiusMm: 2 + random() * 3 }));
  return store.update({ type: 'endStroke' });
}

describe('createSegmentationStore: undo and redo', () => {
  it('undoes 60 strokes back to the exact initial layer, and redoes them exactly', () => {
    // (A stroke that changes nothing, e.g. erasing where nothing is left, makes no step: those are not counted.)
    const random = randomSource(7);
    const initial = new Uint8Array(dims[0] * dims[1] * dims[2]).map(() => (random() < 0.2 ? 3 : 0));
    const store = createSegmentationStore({
      grid: grid(dims, [0.9, 0.9, 2]),
      layers: [initial.slice()],
      segments: [segment(1), segment(2), segment(3, { algorithmType: 'AUTOMATIC' })],
    });
    const layer = () => store.getSnapshot().layers[0]!;
    const start = checksum(layer());
    const after: number[] = [];
    while (after.length < 60) if (randomStroke(store, random)) after.push(checksum(layer()));
    expect(store.getSnapshot().undoDepth).toBe(60);
    expect(new Set(after).size).toBeGreaterThan(50);
    for (let s = 59; s >= 0; s--) {
      expect(checksum(layer())).toBe(after[s]);
      expect(store.update({ type: 'undo' })).toBe(true);
    }
    expect(checksum(layer())).toBe(start);
    expect(layer()).toEqual(initial);
    expect(store.getSnapshot().segments[2]!.algorithmType).toBe('AUTOMATIC');
    expect(store.update({ type: 'undo' })).toBe(false);
    for (let s = 0; s < 60; s++) {
      expect(store.update({ type: 'redo' })).toBe(true);
      expect(checksum(layer())).toBe(after[s]);
    }
    expect(store.getSnapshot()).toMatchObject({ canRedo: false, undoDepth: 60 });
  });

  it('makes a stroke one step, and a new change clears the redo stack', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    store.update({ type: 'beginStroke' });
    for (let i = 2; i < 30; i += 3) store.update(paint(1, [[i, 10, 5]]));
    expect(store.getSnapshot().canUndo).toBe(false);
    store.update({ type: 'endStroke' });
    expect(store.getSnapshot().undoDepth).toBe(1);
    store.update(paint(1, [[5, 30, 5]]));
    store.update({ type: 'undo' });
    expect(store.getSnapshot()).toMatchObject({ undoDepth: 1, canRedo: true });
    store.update({ type: 'renameSegment', segment: { layer: 0, value: 1 }, name: 'Kidney' });
    expect(store.getSnapshot()).toMatchObject({ undoDepth: 2, canRedo: false });
    store.update({ type: 'undo' });
    expect(store.getSnapshot().segments[0]!.name).toBe('S1');
    // Undo in the middle of a stroke ends the stroke and undoes it whole.
    const before = checksum(store.getSnapshot().layers[0]!);
    store.update({ type: 'beginStroke' });
    store.update(paint(1, [[20, 20, 3]]));
    store.update(paint(1, [[25, 25, 3]]));
    store.update({ type: 'undo' });
    expect(checksum(store.getSnapshot().layers[0]!)).toBe(before);
  });

  it('keeps at most maxUndo steps and at most maxUndoBytes, dropping the oldest', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)], maxUndo: 50 });
    for (let s = 0; s < 70; s++) store.update(paint(1, [[s % 40, Math.floor(s / 40) * 9 + 4, 5]], { erase: s % 2 === 1 }));
    expect(store.getSnapshot().undoDepth).toBe(50);
    const capped = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)], maxUndoBytes: 2000 });
    for (let s = 0; s < 20; s++) capped.update(paint(1, [[20, 18, 5]], { erase: s % 2 === 1, radiusMm: 8 }));
    const { undoDepth, undoBytes } = capped.getSnapshot();
    expect(undoBytes).toBeLessThanOrEqual(2000);
    expect(undoDepth).toBeGreaterThan(0);
    expect(undoDepth).toBeLessThan(20);
  });

  it('holds a 100-dab stroke on a 512×512×300 uint8 layer in far less than a layer copy, and replays it exactly', () => {
    const big: Vec3 = [512, 512, 300];
    const layer = new Uint8Array(big[0] * big[1] * big[2]);
    const store = createSegmentationStore({ grid: grid(big, [0.7, 0.7, 1.5]), layers: [layer], segments: [segment(1), segment(2)] });
    const mirror = mirrorOf([layer]);
    store.subscribe((e) => mirror.apply(e));
    const started = performance.now();
    store.update({ type: 'beginStroke' });
    for (let d = 0; d < 100; d++) {
      const t = d / 99;
      store.update(paint(1, [[100 + 300 * t, 150 + 200 * t * t, 100 + 80 * t]], { radiusMm: 8, shape: 'sphere' }));
    }
    store.update({ type: 'endStroke' });
    const elapsed = performance.now() - started;
    const { undoBytes, undoDepth } = store.getSnapshot();
    expect(undoDepth).toBe(1);
    expect(undoBytes).toBeGreaterThan(0);
    expect(undoBytes).toBeLessThan(1024 * 1024);
    expect(elapsed).toBeLessThan(5000);
    expect(checksum(mirror.layers[0]!)).toBe(checksum(layer));
    const painted = checksum(layer);
    store.update({ type: 'undo' });
    expect(layer.every((v) => v === 0)).toBe(true);
    store.update({ type: 'redo' });
    expect(checksum(layer)).toBe(painted);
  });
});
