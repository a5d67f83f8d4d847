import { describe, expect, it } from 'vitest';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { SegmentationError } from '../../../../renderer/segmentation/SegmentationError.js';
import type { PaintCommand, SegmentationEvent } from '../../../../renderer/segmentation/types.js';
import { count, grid, mirrorOf, segment } from './segmentationFixtures.js';

const dims = [30, 30, 10] as const;
const voxels = dims[0] * dims[1] * dims[2];
const at = (i: number, j: number, k: number) => i + dims[0] * (j + dims[1] * k);

function dab(value: number, centre: readonly [number, number, number], extra: Partial<PaintCommand> = {}): PaintCommand {
  return { type: 'paint', segment: { layer: 0, value }, centres: [centre], radiusMm: 4, shape: 'disc', planeAxis: 2, erase: false, ...extra };
}

describe('createSegmentationStore: painting', () => {
  it('paints only voxels whose scan value lies within the threshold', () => {
    const scan = Float32Array.from({ length: voxels }, (_, n) => (n % 7) * 10 - 15);
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)], scanValue: (n) => scan[n]! });
    store.update(dab(1, [15, 15, 5], { threshold: { min: 0, max: 25.5 } }));
    const layer = store.getSnapshot().layers[0]!;
    let painted = 0;
    for (let n = 0; n < voxels; n++) {
      if (layer[n] !== 1) continue;
      painted++;
      expect(scan[n]).toBeGreaterThanOrEqual(0);
      expect(scan[n]).toBeLessThanOrEqual(25.5);
    }
    expect(painted).toBeGreaterThan(10);
    const unthresholded = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    unthresholded.update(dab(1, [15, 15, 5]));
    expect(painted).toBeLessThan(count(unthresholded.getSnapshot().layers[0]!, 1));
  });

  it('never changes a locked segment: painting over it, erasing, cleaning and deleting it', () => {
    const layer = new Uint8Array(voxels);
    for (let i = 10; i < 20; i++) layer[at(i, 15, 5)] = 2;
    layer[at(3, 3, 3)] = 2;
    const store = createSegmentationStore({ grid: grid(dims), layers: [layer], segments: [segment(1), segment(2, { locked: true })] });
    const events: SegmentationEvent[] = [];
    store.subscribe((e) => events.push(e));
    expect(store.update(dab(1, [15, 15, 5]))).toBe(true);
    expect(count(layer, 2)).toBe(11);
    expect(count(layer, 1)).toBeGreaterThan(30);
    events.length = 0;
    for (const command of [
      dab(2, [15, 15, 5], { erase: true }),
      dab(2, [5, 5, 5]),
      { type: 'fillHoles', segment: { layer: 0, value: 2 } },
      { type: 'removeIslands', segment: { layer: 0, value: 2 }, minVoxels: 5 },
      { type: 'keepLargest', segment: { layer: 0, value: 2 } },
      { type: 'deleteSegment', segment: { layer: 0, value: 2 } },
    ] as const) {
      expect(store.update(command), command.type).toBe(false);
    }
    expect(events).toHaveLength(0);
    expect(count(layer, 2)).toBe(11);
    expect(store.getSnapshot().segments).toHaveLength(2);
  });

  it('erases only the segment it is aimed at', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1), segment(2)] });
    store.update(dab(1, [12, 15, 5]));
    store.update(dab(2, [18, 15, 5]));
    const layer = store.getSnapshot().layers[0]!;
    const twos = count(layer, 2);
    store.update(dab(1, [15, 15, 5], { radiusMm: 20, erase: true }));
    expect(count(layer, 1)).toBe(0);
    expect(count(layer, 2)).toBe(twos);
  });

  it('joins the dabs of a fast drag, within one command and across the commands of a stroke', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    const line = { radiusMm: 1 } as const;
    store.update({ type: 'beginStroke' });
    store.update(
      dab(1, [2, 5, 5], {
        ...line,
        centres: [
          [2, 5, 5],
          [14, 5, 5],
        ],
      }),
    );
    store.update(dab(1, [27, 5, 5], line));
    store.update({ type: 'endStroke' });
    const layer = store.getSnapshot().layers[0]!;
    for (let i = 2; i <= 27; i++) expect(layer[at(i, 5, 5)], `i = ${i}`).toBe(1);
    expect(store.getSnapshot().undoDepth).toBe(1);
  });

  it('turns an AUTOMATIC segment SEMIAUTOMATIC when its voxels are edited, keeping its algorithm name', () => {
    const layer = new Uint8Array(voxels).fill(4, 0, 2000);
    const auto = segment(4, { algorithmType: 'AUTOMATIC', algorithmName: 'TotalSegmentator' });
    const store = createSegmentationStore({ grid: grid(dims), layers: [layer], segments: [segment(1), auto] });
    store.update({ type: 'renameSegment', segment: auto, name: 'Liver' });
    expect(store.getSnapshot().segments[1]!.algorithmType).toBe('AUTOMATIC');
    let seen: SegmentationEvent | undefined;
    store.subscribe((e) => (seen = e));
    store.update(dab(1, [3, 3, 2])); // paints over some of segment 4
    expect(store.getSnapshot().segments[1]).toMatchObject({ algorithmType: 'SEMIAUTOMATIC', algorithmName: 'TotalSegmentator', name: 'Liver' });
    expect(seen).toMatchObject({
      segmentsChanged: true,
      touchedSegments: [
        { layer: 0, value: 1 },
        { layer: 0, value: 4 },
      ],
    });
    store.update({ type: 'undo' });
    expect(store.getSnapshot().segments[1]!.algorithmType).toBe('AUTOMATIC');
  });
});

describe('createSegmentationStore: segments', () => {
  it('adds segments with the lowest unused value, a default name and a MANUAL provenance', () => {
    const layer = new Uint8Array(voxels);
    layer[7] = 2; // a label without a segment is not handed out
    const store = createSegmentationStore({ grid: grid(dims), layers: [layer], segments: [segment(1), segment(3)] });
    store.update({ type: 'addSegment' });
    store.update({ type: 'addSegment', name: 'Tumour', colour: [1, 2, 3] });
    const [, , a, b] = store.getSnapshot().segments;
    expect(a).toMatchObject({ layer: 0, value: 4, name: 'Segment 4', algorithmType: 'MANUAL', locked: false });
    expect(b).toMatchObject({ value: 5, name: 'Tumour', colour: [1, 2, 3] });
    expect(a!.colour).not.toEqual(b!.colour);
  });

  it('widens layer 0 to 16 bits for value 256', () => {
    const segments = Array.from({ length: 255 }, (_, k) => segment(k + 1));
    const store = createSegmentationStore({ grid: grid(dims), layers: [new Uint8Array(voxels).fill(9, 0, 10)], segments });
    const events: SegmentationEvent[] = [];
    store.subscribe((e) => events.push(e));
    store.update({ type: 'addSegment' });
    const { layers, segments: table } = store.getSnapshot();
    expect(layers[0]).toBeInstanceOf(Uint16Array);
    expect(count(layers[0]!, 9)).toBe(10);
    expect(table[255]!.value).toBe(256);
    expect(events[0]).toMatchObject({ layersReplaced: true, segmentsChanged: true });
    store.update(dab(256, [10, 10, 5]));
    expect(count(store.getSnapshot().layers[0]!, 256)).toBeGreaterThan(0);
  });

  it('deletes a segment with its voxels as one undo step', () => {
    const layer = new Uint8Array(voxels).fill(2, 100, 900);
    const store = createSegmentationStore({ grid: grid(dims), layers: [layer], segments: [segment(1), segment(2)] });
    store.update({ type: 'deleteSegment', segment: { layer: 0, value: 2 } });
    expect(count(layer, 2)).toBe(0);
    expect(store.getSnapshot().segments.map((s) => s.value)).toEqual([1]);
    store.update({ type: 'undo' });
    expect(count(layer, 2)).toBe(800);
    expect(store.getSnapshot().segments.map((s) => s.value)).toEqual([1, 2]);
    expect(store.getSnapshot().canUndo).toBe(false);
  });

  it('throws typed errors for an unknown segment, a bad name or a bad set-up, changing nothing', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof SegmentationError ? e.code : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => store.update(dab(5, [1, 1, 1])))).toBe('SEGMENT_NOT_FOUND');
    expect(codeOf(() => store.update({ type: 'renameSegment', segment: { layer: 0, value: 1 }, name: '' }))).toBe('INVALID_SEGMENT');
    expect(codeOf(() => store.update(dab(1, [1, 1, 1], { threshold: { min: 0, max: 1 } })))).toBe('NO_SCAN_VALUES');
    expect(codeOf(() => createSegmentationStore({ grid: grid(dims), layers: [new Uint8Array(5)], segments: [] }))).toBe('LAYER_SIZE_MISMATCH');
    expect(codeOf(() => createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(300)] }))).toBe('INVALID_SEGMENT');
    store.subscribe(() => store.update({ type: 'undo' }));
    expect(codeOf(() => store.update({ type: 'addSegment' }))).toBe('REENTRANT_UPDATE');
    expect(store.getSnapshot().revision).toBe(1);
  });
});

describe('createSegmentationStore: events', () => {
  it('carries edits that rebuild the layers exactly in a mirror, through every kind of change', () => {
    const layer = new Uint8Array(voxels);
    for (let k = 2; k <= 7; k++) for (let j = 5; j <= 20; j++) for (let i = 5; i <= 20; i++) layer[at(i, j, k)] = 3;
    for (let k = 3; k <= 6; k++) for (let j = 8; j <= 17; j++) for (let i = 8; i <= 17; i++) layer[at(i, j, k)] = 0;
    layer[at(27, 27, 8)] = 3;
    const store = createSegmentationStore({ grid: grid(dims, [0.8, 0.8, 2.5]), layers: [layer], segments: [segment(1), segment(3)] });
    const mirror = mirrorOf(store.getSnapshot().layers);
    const revisions: number[] = [];
    store.subscribe((e) => {
      mirror.apply(e);
      revisions.push(e.revision);
    });
    store.update({ type: 'beginStroke' });
    store.update(
      dab(1, [10, 10, 4], {
        shape: 'sphere',
        centres: [
          [10, 10, 4],
          [20, 12, 5],
        ],
      }),
    );
    store.update(dab(1, [22, 22, 5], { shape: 'sphere' }));
    store.update({ type: 'endStroke' });
    store.update(dab(3, [12, 6, 2], { erase: true }));
    store.update({ type: 'fillHoles', segment: { layer: 0, value: 3 } });
    store.update({ type: 'removeIslands', segment: { layer: 0, value: 3 }, minVoxels: 2 });
    store.update({ type: 'addSegment' });
    store.update({ type: 'undo' });
    store.update({ type: 'undo' });
    store.update({ type: 'redo' });
    store.update({ type: 'keepLargest', segment: { layer: 0, value: 1 } });
    store.update({ type: 'deleteSegment', segment: { layer: 0, value: 1 } });
    store.update({ type: 'undo' });
    expect(mirror.layers[0]).toEqual(store.getSnapshot().layers[0]);
    expect(revisions).toEqual(revisions.map((_, k) => k + 1));
    expect(store.getSnapshot().revision).toBe(revisions.length);
  });

  it('gives a new frozen snapshot per change and the same one between changes', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    const first = store.getSnapshot();
    expect(store.getSnapshot()).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.segments) && Object.isFrozen(first.segments[0])).toBe(true);
    store.update(dab(1, [5, 5, 5]));
    const second = store.getSnapshot();
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ revision: 1, canUndo: true, canRedo: false, undoDepth: 1 });
    expect(second.layers[0]).toBe(first.layers[0]);
  });
});
