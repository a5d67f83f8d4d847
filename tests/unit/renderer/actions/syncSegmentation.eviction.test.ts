import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeHeader } from '../../../../core/contract.js';
import { syncSegmentation } from '../../../../renderer/actions/syncSegmentation.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { runPythonJson } from '../../../python.js';
import { createHarness, valueOf, type Harness } from '../../services/appServicesHarness.js';
import { count, grid, segment } from '../segmentation/segmentationFixtures.js';

/**
 * The page caches 3 time points of a 4D series, main keeps 4 loaded volumes: the page can draw a time point main
 * has forgotten. Its statistics then cannot be had, but an edit made there must still reach main (and its export)
 * and the journal. Main is the real one (createAppServices); the series an int16 4D NIfTI nibabel writes (8×8×4,
 * 3 time points, voxel n holds n + 100·t).
 */
const makeScript = `
import json, sys
import nibabel as nib, numpy as np
n = np.arange(8 * 8 * 4).reshape((4, 8, 8)).transpose(2, 1, 0)
nib.save(nib.Nifti1Image(np.stack([n + 100 * t for t in range(3)], axis=-1).astype(np.int16), np.eye(4)), sys.argv[1])
print(json.dumps(int(n[1, 2, 3])))
`;

/** Voxels holding label 1 in a label map, as nibabel reads it. */
const labelledScript = `
import json, sys
import nibabel as nib, numpy as np
print(json.dumps(int((np.asarray(nib.load(sys.argv[1]).dataobj) == 1).sum())))
`;

describe('syncSegmentation with main: a time point drawn that main has forgotten', () => {
  let folder: string;
  let series4d: string;
  let h: Harness;

  let scanId: string | undefined;
  /** Time steps load from the one scan, as the page's do. */
  const load = async (timePoint: number): Promise<VolumeHeader> => {
    if (scanId === undefined) {
      h.answerNextOpen(series4d);
      scanId = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!.scanId;
    }
    return valueOf(await h.services.invoke('volume:load', { scanId, seriesIndex: 1, timePoint }));
  };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'axial-sync-evicted-'));
    series4d = join(folder, 'series4d.nii.gz');
    expect(runPythonJson<number>(makeScript, [series4d])).toBe(1 + 8 * (2 + 8 * 3));
    h = createHarness({ recoveryDir: join(folder, 'recovery') });
  }, 60_000);
  afterAll(async () => {
    await h.services.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it("keeps a dab made there (in main and its export) and labels the statistics with the mask's own time point", async () => {
    const own = await load(0);
    const { maskId } = valueOf(await h.services.invoke('mask:create', { volumeId: own.volumeId }));
    // The page's cache holds t 1 (prefetched); main then loads four more and forgets it.
    const t1 = await load(1);
    for (const timePoint of [2, 0, 1, 2]) await load(timePoint);
    expect(h.services.getData('volume', t1.volumeId)).toBeUndefined();

    const store = createSegmentationStore({ grid: grid([8, 8, 4]), layers: [new Uint8Array(256)], segments: [segment(1)] });
    const errors: string[] = [];
    const synced: (string | undefined)[] = [];
    const sync = syncSegmentation({
      api: {
        'mask:edit': (args) => h.services.invoke('mask:edit', args),
        'mask:statistics': (args) => h.services.invoke('mask:statistics', args),
      },
      maskId,
      volumeId: own.volumeId,
      store,
      onSynced: (_revision, stats, _unsaved, volumeId) => {
        if (stats) synced.push(volumeId);
      },
      onError: (message) => errors.push(message),
      onUnprotected: (why) => errors.push(why),
    });
    // t 1 is drawn and a dab made there at once, then another.
    sync.statsOf(t1.volumeId);
    const dab = (centre: readonly [number, number, number]): void => {
      store.update({ type: 'beginStroke' });
      store.update({ type: 'paint', segment: { layer: 0, value: 1 }, centres: [centre], radiusMm: 1.5, shape: 'disc', planeAxis: 2, erase: false });
      store.update({ type: 'endStroke' });
    };
    dab([2, 2, 1]);
    await sync.synced();
    dab([5, 5, 2]);
    await sync.synced();

    const painted = count(store.getSnapshot().layers[0]!, 1);
    expect(painted).toBeGreaterThan(10);
    expect(errors).toEqual([]);
    // The statistics are of the mask's own time point, and said to be.
    expect(synced.at(-1)).toBe(own.volumeId);
    expect(Buffer.from(h.services.getData('mask', `${maskId}:0`)!).equals(Buffer.from(store.getSnapshot().layers[0]!))).toBe(true);
    expect(valueOf(await h.services.invoke('mask:status', { maskId })).unsavedEdits).toBe(2);

    const exported = join(folder, 'labels.nii.gz');
    h.answerNextSave(exported);
    valueOf(await h.services.invoke('mask:export', { maskId, format: 'nifti' }));
    expect(runPythonJson<number>(labelledScript, [exported])).toBe(painted);
    sync.stop();
  });
});
