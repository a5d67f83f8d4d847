import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelEdit, SegmentDef } from '../../../core/contract.js';
import { segmentStatistics } from '../../../main/labels/segmentStatistics.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createMaskHandlers, type MaskEntry, type VolumeEntry } from '../../../main/services/createMaskHandlers.js';
import { boundedMap } from '../../../main/services/serviceHelpers.js';
import { createVolume, type Volume } from '../../../main/volume/Volume.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-mask-handlers-'));
const dims = [40, 32, 24] as const;
const voxelCount = dims[0] * dims[1] * dims[2];

/** Values (n·7 mod 2000) − 1000: a CT-like range, every value known. */
function makeVolume(): Volume {
  return createVolume({
    dimensions: dims,
    spacing: [0.8, 0.8, 2.5],
    origin: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    voxels: Int16Array.from({ length: voxelCount }, (_, n) => ((n * 7) % 2000) - 1000),
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
}

function edit(layer: number, ...runs: (readonly [number, number, number])[]): LabelEdit {
  return { layer, runs: new Uint8Array(Uint32Array.from(runs.flat()).buffer) };
}

const segment = (layer: number, value: number, name: string): SegmentDef => ({
  layer,
  value,
  name,
  colour: [200, 80, 60],
  algorithmType: 'MANUAL',
  locked: false,
});
const lesion = segment(0, 1, 'lesion');
const settle = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('createMaskHandlers', () => {
  let scan: string;
  beforeAll(async () => {
    scan = join(scratch, 'scan.nii.gz');
    await writeNifti(makeVolume(), scan);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function open(recoveryDir: string): Promise<{ h: Harness; maskId: string }> {
    const h = createHarness({ recoveryDir });
    h.answerNextOpen(scan);
    const scanned = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
    const volume = valueOf(await h.services.invoke('volume:load', { scanId: scanned.scanId, seriesIndex: 1 }));
    const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: volume.volumeId }));
    return { h, maskId };
  }
  const paint = (h: Harness, maskId: string, start: number): Promise<unknown> =>
    h.services.invoke('mask:edit', { maskId, edits: [edit(0, [start, 10, 1])], segments: [lesion] }).then(valueOf);
  const unsaved = async (h: Harness, maskId: string): Promise<number> => valueOf(await h.services.invoke('mask:status', { maskId })).unsavedEdits;
  const labelled = async (path: string, voxel: number): Promise<number> => (await readNifti(path)).volume.voxels[voxel]!;

  it('two overlapping saves count saved only what the files hold: edits neither holds stay unsaved and journaled', async () => {
    const dir = join(scratch, 'overlapping');
    const { h, maskId } = await open(dir);
    try {
      for (let n = 0; n < 5; n++) await paint(h, maskId, n * 100);
      h.answerNextSave(join(scratch, 'a.nii.gz'));
      const a = h.services.invoke('mask:export', { maskId, format: 'nifti' });
      await settle(); // A has copied the layers (5 edits) and is writing
      const during = [paint(h, maskId, 500), paint(h, maskId, 600)];
      h.answerNextSave(join(scratch, 'b.nii'));
      const b = h.services.invoke('mask:save', { maskId });
      await settle(); // B has copied them (7 edits)
      const after = [paint(h, maskId, 5000), paint(h, maskId, 6000)];
      await Promise.all([...during, ...after]);
      expect(valueOf(await a)).toMatchObject({ saved: true, complete: true });
      expect(valueOf(await b)).toMatchObject({ saved: true, complete: true });
      // A holds the first five edits. B, written after A (one mask's writes go in turn), holds those applied when it
      // copied the layers; the edits it lacks are the unsaved ones, and journaled.
      expect([await labelled(join(scratch, 'a.nii.gz'), 405), await labelled(join(scratch, 'a.nii.gz'), 505)]).toEqual([1, 0]);
      const inB = await Promise.all([505, 605, 5005, 6005].map((voxel) => labelled(join(scratch, 'b.nii'), voxel)));
      const lacking = inB.filter((label) => label === 0).length;
      expect(inB).toEqual([...Array<number>(4 - lacking).fill(1), ...Array<number>(lacking).fill(0)]);
      // Before, each save took its own count off the live one (9 − 5 − 7 → 0) and removed the journal.
      expect(await unsaved(h, maskId)).toBe(lacking);
      expect(readdirSync(dir)).toHaveLength(lacking > 0 ? 1 : 0);
      // Saving again saves everything and ends the journal.
      h.answerNextSave(join(scratch, 'c.nii'));
      expect(valueOf(await h.services.invoke('mask:save', { maskId }))).toMatchObject({ saved: true, complete: true });
      expect(await unsaved(h, maskId)).toBe(0);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await h.services.dispose();
    }
  });

  it("counts a first edit as unsaved work at once, while its journal's base is still being written", async () => {
    const dir = join(scratch, 'first-edit');
    const { h, maskId } = await open(dir);
    try {
      const editing = paint(h, maskId, 0);
      // The close guard asks now: before, the count waited for the journal's base (230 ms on 52M voxels).
      expect(h.services.unsavedWork()).toEqual([{ maskId, name: 'scan.nii.gz segmentation', unsavedEdits: 1, unsavedResult: false }]);
      // A save that copies the layers before the edit lands does not count it saved.
      h.answerNextSave(join(scratch, 'early.nii'));
      const saving = h.services.invoke('mask:save', { maskId });
      await editing;
      expect(valueOf(await saving)).toMatchObject({ saved: true });
      expect(await labelled(join(scratch, 'early.nii'), 5)).toBe(0);
      expect(await unsaved(h, maskId)).toBe(1);
      expect(readdirSync(dir)).toHaveLength(1);
      // A refused edit is never counted.
      const refused = await h.services.invoke('mask:edit', { maskId, edits: [edit(0, [voxelCount, 1, 1])], segments: [lesion] });
      expect(refused).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
      expect(await unsaved(h, maskId)).toBe(1);
    } finally {
      await h.services.dispose();
    }
  });

  it('never exports a segmentation restored after a crash over the label map it was opened from', async () => {
    const dir = join(scratch, 'restored-inputs');
    const labels = join(scratch, 'labels.nii.gz');
    const volume = makeVolume();
    await writeNifti(createVolume({ ...volume, voxels: new Uint8Array(voxelCount).fill(1, 0, 50) }), labels, { intent: 'label' });
    const h = createHarness({ recoveryDir: dir });
    try {
      h.answerNextOpen(scan);
      const scanned = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
      const { volumeId } = valueOf(await h.services.invoke('volume:load', { scanId: scanned.scanId, seriesIndex: 1 }));
      h.answerNextOpen(labels);
      const { maskId } = valueOf(await h.services.invoke('mask:open', { volumeId }))!;
      await h.services.invoke('mask:edit', { maskId, edits: [edit(0, [600, 10, 1])], segments: [{ ...lesion, name: 'label 1' }] }).then(valueOf);
      const reopened = createHarness({ recoveryDir: dir });
      try {
        reopened.answerNextOpen(scan);
        const again = valueOf(await reopened.services.invoke('volume:open', { source: 'file' }))!;
        const loaded = valueOf(await reopened.services.invoke('volume:load', { scanId: again.scanId, seriesIndex: 1 }));
        const restored = valueOf(await reopened.services.invoke('mask:recover', { volumeId: loaded.volumeId }));
        reopened.answerNextSave(labels.replace(/\.nii\.gz$/, ''));
        expect(await reopened.services.invoke('mask:export', { maskId: restored.maskId, format: 'nifti' })).toMatchObject({
          ok: false,
          error: { code: 'OUTPUT_IS_INPUT' },
        });
        // The label map is as it was: 50 voxels labelled, none of the edit's.
        expect(await labelled(labels, 49)).toBe(1);
        expect(await labelled(labels, 600)).toBe(0);
      } finally {
        await reopened.services.dispose();
      }
    } finally {
      await h.services.dispose();
    }
  });

  it("keeps a model's result shown as a segmentation of its own as one unsaved change, journaled: a crash offers it back", async () => {
    const dir = join(scratch, 'kept-result');
    const { h, maskId } = await open(dir);
    try {
      // A mask with labels and nothing unsaved, as a model's result arrives.
      await paint(h, maskId, 300);
      h.answerNextSave(join(scratch, 'result.nii'));
      expect(valueOf(await h.services.invoke('mask:save', { maskId }))).toMatchObject({ saved: true, complete: true });
      expect(readdirSync(dir)).toEqual([]);
      expect(valueOf(await h.services.invoke('mask:keep', { maskId }))).toEqual({ unsavedEdits: 1 });
      // Said as a result not yet saved (the questions' words), until it is edited.
      expect(h.services.unsavedWork()).toEqual([{ maskId, name: 'scan.nii.gz segmentation', unsavedEdits: 1, unsavedResult: true }]);
      expect(valueOf(await h.services.invoke('mask:status', { maskId }))).toEqual({ name: 'scan.nii.gz segmentation', unsavedEdits: 1, unsavedResult: true });
      expect(valueOf(await h.services.invoke('mask:close', { maskId }))).toEqual({ closed: false });
      // Kept twice (a page that asks again) still counts once; an edit after it counts on top.
      expect(valueOf(await h.services.invoke('mask:keep', { maskId }))).toEqual({ unsavedEdits: 1 });
      await paint(h, maskId, 900);
      expect(await unsaved(h, maskId)).toBe(2);
      expect(h.services.unsavedWork()).toMatchObject([{ unsavedEdits: 2, unsavedResult: false }]);
      // The journal holds the result as its base, counted as one change, and the edit after it.
      const reopened = createHarness({ recoveryDir: dir });
      try {
        reopened.answerNextOpen(scan);
        const again = valueOf(await reopened.services.invoke('volume:open', { source: 'file' }))!;
        const volume = valueOf(await reopened.services.invoke('volume:load', { scanId: again.scanId, seriesIndex: 1 }));
        expect(volume.recovery).toMatchObject({ maskName: 'scan.nii.gz segmentation', edits: 2, dropped: 0, damage: null });
        const restored = valueOf(await reopened.services.invoke('mask:recover', { volumeId: volume.volumeId }));
        expect(restored.unsavedEdits).toBe(2);
        const voxels = restored.segments.find((segment) => segment.name === 'lesion')!.voxels;
        expect(voxels).toBe(20);
      } finally {
        await reopened.services.dispose();
      }
      // Discard lets it go: the journal is removed, and main may forget it.
      expect(valueOf(await h.services.invoke('mask:discard', { maskId }))).toEqual({ discarded: true });
      expect(readdirSync(dir)).toEqual([]);
      // Kept again, and discarded (quitting's Discard) while its base is still being written: no journal is left behind.
      const keeping = h.services.invoke('mask:keep', { maskId });
      const discarding = h.services.invoke('mask:discard', { maskId });
      // Its answer is the count once the base is written: none is left.
      expect(valueOf(await keeping)).toEqual({ unsavedEdits: 0 });
      expect(valueOf(await discarding)).toEqual({ discarded: true });
      expect(h.services.unsavedWork()).toEqual([]);
      expect(readdirSync(dir)).toEqual([]);
      expect(valueOf(await h.services.invoke('mask:close', { maskId }))).toEqual({ closed: true });
    } finally {
      await h.services.dispose();
    }
  });

  it('keeps the statistics by each edit: an edit reads only its own voxels of the scan, and the numbers match a full pass', async () => {
    const volume = makeVolume();
    let reads = 0;
    const counting = new Proxy(volume.voxels, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key) as unknown;
      },
    });
    const masks = boundedMap<MaskEntry>(4);
    const entry = {
      volume: { ...volume, voxels: counting },
      name: 'scan',
      series: {
        index: 1,
        uid: '1.2.3',
        description: 'scan',
        modality: 'CT',
        format: 'nifti',
        files: [],
        warnings: [],
        load: async () => ({ volume, warnings: [] }),
      },
      inputs: [],
      recoveryKey: undefined,
    } satisfies VolumeEntry;
    const handlers = createMaskHandlers({
      deps: { chooseOpenPath: async () => undefined, chooseSavePath: async () => undefined, dataUrl: (kind, id) => `${kind}/${id}` },
      masks,
      volumeEntry: () => entry,
      journal: null,
      openMask: () => Promise.reject(new Error('no files in this spec')),
    });
    const { maskId } = await handlers['mask:create']({ volumeId: 'v' });
    const segments = [lesion, segment(0, 2, 'liver')];
    // 20,000 labelled voxels: a pass over them is what every edit cost before.
    await handlers['mask:edit']({ maskId, edits: [edit(0, [0, 20_000, 2])], segments });
    reads = 0;
    let stats;
    for (let n = 0; n < 5; n++) stats = (await handlers['mask:edit']({ maskId, edits: [edit(0, [10 * n, 10, 1])], segments })).segments;
    expect(reads).toBe(50);
    const full = segmentStatistics(volume, masks.get(maskId)!.layers, segments);
    expect(stats!.map(({ mean, sd, ...exact }) => exact)).toEqual(full.map(({ mean, sd, ...exact }) => exact));
    stats!.forEach((s, n) => {
      expect(s.mean).toBeCloseTo(full[n]!.mean!, 9);
      expect(s.sd).toBeCloseTo(full[n]!.sd!, 9);
    });
    expect(stats!.map((s) => [s.voxels, s.min, s.max])).toEqual([
      [50, -1000, -657],
      [19_950, -1000, 999],
    ]);
  });

  it('adds a label layer only for a segment on it, and refuses layers past 8 bytes a voxel before allocating them', async () => {
    const { h, maskId } = await open(join(scratch, 'layers'));
    try {
      // One ~1 KB call that added 63 uint16 layers (128 bytes a voxel) before.
      const flood = Array.from({ length: 64 }, (_, layer) => edit(layer, [0, 1, 300]));
      const refused = await h.services.invoke('mask:edit', { maskId, edits: flood, segments: [] });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'IPC_INVALID_ARGUMENTS', message: 'mask:edit: layer 1 would be added, but no segment is on it' },
      });
      expect(h.services.getData('mask', `${maskId}:0`)!.every((v) => v === 0)).toBe(true);
      expect(h.services.getData('mask', `${maskId}:1`)).toBeUndefined();
      expect(await unsaved(h, maskId)).toBe(0);

      // Seven more uint8 layers, each named: 8 bytes a voxel, the most.
      const named = Array.from({ length: 8 }, (_, layer) => segment(layer, 1, `s${layer}`));
      const seven = Array.from({ length: 7 }, (_, n) => edit(n + 1, [n, 1, 1]));
      valueOf(await h.services.invoke('mask:edit', { maskId, edits: seven, segments: named }));
      expect(h.services.getData('mask', `${maskId}:7`)!.byteLength).toBe(voxelCount);
      const ninth = await h.services.invoke('mask:edit', { maskId, edits: [edit(8, [0, 1, 1])], segments: [...named, segment(8, 1, 's8')] });
      expect(ninth).toMatchObject({ ok: false, error: { message: expect.stringContaining('9 bytes of labels per voxel, more than the 8 allowed') } });
      expect(h.services.getData('mask', `${maskId}:8`)).toBeUndefined();
      const widen = await h.services.invoke('mask:edit', { maskId, edits: [edit(0, [0, 1, 300])], segments: [...named, segment(0, 300, 'wide')] });
      expect(widen).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
      expect(h.services.getData('mask', `${maskId}:0`)!.byteLength).toBe(voxelCount);
      // Edits within the layers there are still go through.
      expect(valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit(7, [9, 2, 1])], segments: named })).segments[7]!.voxels).toBe(3);
      expect(await unsaved(h, maskId)).toBe(2);
    } finally {
      await h.services.dispose();
    }
  });

  it('holds two edits sent together, while the first journal base is written, to the 8-byte budget between them', async () => {
    const { h, maskId } = await open(join(scratch, 'budget-race'));
    try {
      // A: seven more 8-bit layers (8 bytes a voxel). B: 16-bit values on layers 0-3 (2 + 2 + 2 + 2 + …). Each alone is allowed.
      const a = h.services.invoke('mask:edit', {
        maskId,
        edits: [1, 2, 3, 4, 5, 6, 7].map((layer) => edit(layer, [layer, 1, 1])),
        segments: [0, 1, 2, 3, 4, 5, 6, 7].map((layer) => segment(layer, 1, `a${layer}`)),
      });
      const b = h.services.invoke('mask:edit', { maskId, edits: [edit(0, [0, 1, 300])], segments: [lesion, segment(0, 300, 'wide')] });
      const [first, second] = await Promise.all([a, b]);
      expect(first.ok).toBe(true);
      expect(second).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
      const bytes = [0, 1, 2, 3, 4, 5, 6, 7].reduce((sum, layer) => sum + h.services.getData('mask', `${maskId}:${layer}`)!.byteLength / voxelCount, 0);
      expect(bytes).toBe(8);
      expect(await unsaved(h, maskId)).toBe(1);
    } finally {
      await h.services.dispose();
    }
  });

  it('refuses a segment table that names one label twice or a layer the mask does not have, changing nothing', async () => {
    const { h, maskId } = await open(join(scratch, 'table'));
    try {
      const paintTen = [edit(0, [0, 10, 1])];
      const twice = await h.services.invoke('mask:edit', { maskId, edits: paintTen, segments: [segment(0, 1, 'liver'), segment(0, 1, 'spleen')] });
      expect(twice).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS', message: 'mask:edit: two segments are label 1 of layer 0' } });
      const ghost = await h.services.invoke('mask:edit', { maskId, edits: paintTen, segments: [lesion, segment(9, 3, 'ghost')] });
      expect(ghost).toMatchObject({
        ok: false,
        error: { code: 'IPC_INVALID_ARGUMENTS', message: 'mask:edit: segment ghost is on layer 9, which does not exist (there are 1)' },
      });
      expect(h.services.getData('mask', `${maskId}:0`)!.every((v) => v === 0)).toBe(true);
      expect(await unsaved(h, maskId)).toBe(0);
      // A segment on the layer the same call adds is on a layer that exists.
      const added = valueOf(await h.services.invoke('mask:edit', { maskId, edits: [edit(1, [0, 4, 1])], segments: [lesion, segment(1, 1, 'model')] }));
      expect(added.segments.map((s) => s.voxels)).toEqual([0, 4]);
    } finally {
      await h.services.dispose();
    }
  });
});
