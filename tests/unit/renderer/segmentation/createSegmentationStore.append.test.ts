import { describe, expect, it } from 'vitest';
import type { SegmentDef } from '../../../../core/contract.js';
import { applyLabelEdits } from '../../../../main/labels/applyLabelEdits.js';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { SegmentationError } from '../../../../renderer/segmentation/SegmentationError.js';
import { toLabelEdit } from '../../../../renderer/segmentation/toLabelEdit.js';
import type { SegmentationEvent, SegmentationStore } from '../../../../renderer/segmentation/types.js';
import type { LabelArray } from '../../../../core/labels/LabelArray.js';
import { checksum, count, grid, randomSource, segment } from './segmentationFixtures.js';

const dims: Vec3 = [24, 20, 8];
const voxels = dims[0] * dims[1] * dims[2];

/** An opened label map: five segments with gaps in their values (as TotalSegmentator's), scattered over layer 0. */
function labelMap(): { store: SegmentationStore; table: SegmentDef[]; layer0: Uint8Array } {
  const random = randomSource(11);
  const values = [1, 2, 3, 7, 12];
  const layer0 = new Uint8Array(voxels).map(() => (random() < 0.5 ? values[Math.floor(random() * values.length)]! : 0));
  const table = values.map((v) => segment(v, { name: `organ ${v}` }));
  const store = createSegmentationStore({ grid: grid(dims), layers: [layer0.slice()], segments: table });
  return { store, table, layer0 };
}

/** A model's result: organ (1) in the lower half, bone (2) in a band, and a stray value 9 that no segment names. */
function modelResult(): { layers: LabelArray[]; segments: SegmentDef[] } {
  const labels = new Uint8Array(voxels).map((_, n) => (n < voxels / 2 ? 1 : n % 7 === 0 ? 2 : n % 11 === 0 ? 9 : 0));
  const model = { algorithmType: 'AUTOMATIC' as const, algorithmName: 'demo-ct-phantom' };
  return {
    layers: [labels],
    segments: [segment(1, { name: 'organ', colour: [255, 0, 0], ...model }), segment(2, { name: 'bone', colour: [0, 255, 0], ...model })],
  };
}

/** Main's copy, kept only from the store's events with main's own applyLabelEdits. */
function mainMirror(store: SegmentationStore): { layers: () => LabelArray[] } {
  let layers: LabelArray[] = store.getSnapshot().layers.map((l) => l.slice());
  store.subscribe((event: SegmentationEvent) => {
    layers = applyLabelEdits(layers, event.edits.map(toLabelEdit), voxels);
  });
  return { layers: () => layers };
}

describe('createSegmentationStore: appending a model result', () => {
  it("keeps the map's segments and voxels, adds the model's as new values after them in a new layer, and undoes in one step", () => {
    const { store, table, layer0 } = labelMap();
    const mirror = mainMirror(store);
    const events: SegmentationEvent[] = [];
    store.subscribe((e) => events.push(e));
    const result = modelResult();
    const depth = store.getSnapshot().undoDepth;

    expect(store.update({ type: 'appendSegments', ...result })).toBe(true);
    const after = store.getSnapshot();
    expect(after.segments.slice(0, 5)).toEqual(table);
    // New values after the largest in use (12), in the model's order; its names, colours and AUTOMATIC type kept.
    expect(after.segments.slice(5)).toEqual([
      { ...result.segments[0], layer: 1, value: 13 },
      { ...result.segments[1], layer: 1, value: 14 },
    ]);
    expect(after.layers).toHaveLength(2);
    expect(checksum(after.layers[0]!)).toBe(checksum(layer0));
    const model = result.layers[0]!;
    const expected = Uint8Array.from(model, (v) => (v === 1 ? 13 : v === 2 ? 14 : 0));
    expect(Array.from(after.layers[1]!)).toEqual(Array.from(expected));
    expect(count(after.layers[1]!, 0)).toBeGreaterThan(0);
    expect(after.undoDepth).toBe(depth + 1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ command: 'appendSegments', segmentsChanged: true, layersReplaced: true });
    expect(events[0]!.edits.map((e) => e.layer)).toEqual([1]);
    expect(events[0]!.touchedSegments).toEqual([
      { layer: 1, value: 13 },
      { layer: 1, value: 14 },
    ]);
    expect(mirror.layers().map(checksum)).toEqual(after.layers.map(checksum));

    expect(store.update({ type: 'undo' })).toBe(true);
    const undone = store.getSnapshot();
    expect(undone.segments).toEqual(table);
    expect(checksum(undone.layers[0]!)).toBe(checksum(layer0));
    expect(count(undone.layers[1]!, 0)).toBe(voxels);
    expect(mirror.layers().map(checksum)).toEqual(undone.layers.map(checksum));

    expect(store.update({ type: 'redo' })).toBe(true);
    expect(store.getSnapshot().segments).toEqual(after.segments);
    expect(checksum(store.getSnapshot().layers[1]!)).toBe(checksum(expected));
    expect(mirror.layers().map(checksum)).toEqual(store.getSnapshot().layers.map(checksum));
  });

  it('paints on an appended segment as on any other: then, and only then, it becomes SEMIAUTOMATIC', () => {
    const { store } = labelMap();
    store.update({ type: 'appendSegments', ...modelResult() });
    store.update({ type: 'paint', segment: { layer: 1, value: 14 }, centres: [[3, 3, 6]], radiusMm: 1, shape: 'disc', planeAxis: 2, erase: false });
    const types = store
      .getSnapshot()
      .segments.slice(5)
      .map((s) => s.algorithmType);
    expect(types).toEqual(['AUTOMATIC', 'SEMIAUTOMATIC']);
  });

  it('widens the new layer to 16 bits when the new values pass 255', () => {
    const layer0 = new Uint8Array(voxels);
    layer0[0] = 250;
    const store = createSegmentationStore({ grid: grid(dims), layers: [layer0], segments: [segment(250)] });
    const labels = Uint8Array.from({ length: voxels }, (_, n) => (n % 10) + 1);
    const segments = Array.from({ length: 10 }, (_, n) => segment(n + 1));
    expect(store.update({ type: 'appendSegments', layers: [labels], segments })).toBe(true);
    const layer1 = store.getSnapshot().layers[1]!;
    expect(layer1).toBeInstanceOf(Uint16Array);
    expect([layer1[0], layer1[9], layer1[10]]).toEqual([251, 260, 251]);
  });

  it('changes nothing for a result with no named voxels, or of the wrong size (the store stays as it was)', () => {
    const { store } = labelMap();
    const before = store.getSnapshot();
    expect(store.update({ type: 'appendSegments', layers: [new Uint8Array(voxels)], segments: [segment(1)] })).toBe(false);
    let code = '';
    try {
      store.update({ type: 'appendSegments', layers: [new Uint8Array(5)], segments: [segment(1)] });
    } catch (error) {
      code = (error as SegmentationError).code;
    }
    expect(code).toBe('LAYER_SIZE_MISMATCH');
    expect(store.getSnapshot()).toBe(before);
    expect(store.getSnapshot().layers).toHaveLength(1);
  });
});

describe('createSegmentationStore: appending within the label budget main holds each edit to', () => {
  it('takes 7 model results onto a map (8 layers of 8-bit labels), refuses the 8th with the reason, and main accepts every edit it sent', () => {
    const { store } = labelMap();
    const mirror = mainMirror(store);
    for (let n = 1; n <= 7; n++) expect(store.update({ type: 'appendSegments', ...modelResult() })).toBe(true);
    expect(store.getSnapshot().layers).toHaveLength(8);
    const refused = (() => {
      try {
        store.update({ type: 'appendSegments', ...modelResult() });
      } catch (error) {
        return error as SegmentationError;
      }
      return undefined;
    })();
    expect(refused?.code).toBe('INVALID_ARGUMENT');
    expect(refused?.message).toBe(
      'the segmentation would hold 9 bytes of labels per voxel, more than the 8 allowed (8 layers of 8-bit labels, or 4 of 16-bit)',
    );
    expect(store.getSnapshot().layers).toHaveLength(8);
    expect(mirror.layers().map(checksum)).toEqual(store.getSnapshot().layers.map(checksum));
  });
});
