import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventTypes, VolumeHeader } from '../../../core/contract.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { dice, makeDemoPhantom, type DemoPhantom } from '../../phantoms/makeDemoPhantom.js';
import { labelPhantom, slowBundle } from '../segmentation/process/inferenceFixtures.js';
import { createHarness, demoModelPath, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-segment-'));

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('createAppServices: segmentation in the inference process', () => {
  let h: Harness;
  let phantom: DemoPhantom;
  let volume: VolumeHeader;

  const openVolume = async (path: string): Promise<VolumeHeader> => {
    h.answerNextOpen(path);
    const scan = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
    return valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
  };

  beforeAll(async () => {
    h = createHarness();
    phantom = makeDemoPhantom(7, {
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      spacing: [1.5, 1.5, 2],
    });
    const path = join(scratch, 'phantom.nii.gz');
    await writeNifti(phantom.image, path);
    volume = await openVolume(path);
  });
  afterAll(async () => {
    await h.services.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs the demo bundle: returns a job id at once, emits progress, then done with the mask', async () => {
    const started = performance.now();
    const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: volume.volumeId, model: 'demo', device: 'cpu' }));
    expect(performance.now() - started).toBeLessThan(500);
    const done = await h.waitFor('segmentation:done', (e) => e.jobId === jobId);
    const progress = h.events.filter((e) => e.event === 'segmentation:progress').map((e) => e.payload as EventTypes['segmentation:progress']);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.jobId === jobId && p.done <= p.total && p.elapsedSeconds >= 0)).toBe(true);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);

    const mask = valueOf(done.result);
    expect(mask).toMatchObject({ volumeId: volume.volumeId, name: 'demo-ct-phantom segmentation', layers: [{ dataType: 'uint8' }], provider: 'cpu' });
    expect(mask.seconds).toBeGreaterThan(0);
    expect(mask.segments.map((s) => [s.value, s.name, s.algorithmType, s.algorithmName])).toEqual([
      [1, 'organ', 'AUTOMATIC', 'demo-ct-phantom'],
      [2, 'bone', 'AUTOMATIC', 'demo-ct-phantom'],
    ]);
    const labels = h.services.getData('mask', `${mask.maskId}:0`)!;
    expect(labels.length).toBe(phantom.truth.length);
    expect(dice(labels, phantom.truth, 1)).toBeGreaterThan(0.95);
    expect(dice(labels, phantom.truth, 2)).toBeGreaterThan(0.95);
    for (const s of mask.segments) {
      expect(s.voxels).toBe(labels.reduce((n, v) => n + (v === s.value ? 1 : 0), 0));
      expect(s.volumeMl).toBeCloseTo((s.voxels * 1.5 * 1.5 * 2) / 1000, 9);
    }
    expect(valueOf(await h.services.invoke('segmentation:cancel', { jobId }))).toEqual({ cancelled: false });
  });

  it('cancels a running job within a second, killing its process; the next run starts a fresh one', async () => {
    const slow = await openVolume(await writePhantom(labelPhantom([96, 96, 96]), 'slow.nii.gz'));
    h.answerNextOpen(`${slowBundle}/configs/metadata.json`);
    const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: slow.volumeId, model: 'choose', device: 'cpu' }));
    expect(h.openRequests.at(-1)).toBe('model');
    await h.waitFor('segmentation:progress', (e) => e.jobId === jobId);
    const worker = h.processes.at(-1)!;
    const cancelledAt = performance.now();
    expect(valueOf(await h.services.invoke('segmentation:cancel', { jobId }))).toEqual({ cancelled: true });
    const done = await h.waitFor('segmentation:done', (e) => e.jobId === jobId);
    expect(performance.now() - cancelledAt).toBeLessThan(1000);
    expect(done.result).toEqual({ ok: false, error: { code: 'INFERENCE_CANCELLED', message: 'segmentation cancelled' } });
    expect(isGone(worker.pid!)).toBe(true);

    const before = h.processes.length;
    const again = valueOf(await h.services.invoke('segmentation:run', { volumeId: volume.volumeId, model: 'demo', device: 'cpu' }));
    const second = await h.waitFor('segmentation:done', (e) => e.jobId === again.jobId);
    expect(second.result.ok).toBe(true);
    expect(h.processes.length).toBe(before + 1);
  });

  it('stops the model run under way for the close guard (quitting mid-run), killing its process', async () => {
    const slow = await openVolume(await writePhantom(labelPhantom([96, 96, 96]), 'slow-stop.nii.gz'));
    expect(h.services.modelRunUnderWay()).toBe(false);
    h.answerNextOpen(`${slowBundle}/configs/metadata.json`);
    const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: slow.volumeId, model: 'choose', device: 'cpu' }));
    expect(h.services.modelRunUnderWay()).toBe(true);
    await h.waitFor('segmentation:progress', (e) => e.jobId === jobId);
    const worker = h.processes.at(-1)!;
    await h.services.stopModelRun();
    expect(h.services.modelRunUnderWay()).toBe(false);
    const done = await h.waitFor('segmentation:done', (e) => e.jobId === jobId);
    expect(done.result).toEqual({ ok: false, error: { code: 'INFERENCE_CANCELLED', message: 'segmentation cancelled' } });
    expect(isGone(worker.pid!)).toBe(true);
    // Nothing under way: stopping again does nothing.
    await h.services.stopModelRun();
  });

  it('runs one model run at a time (a second replaces the first), cancels it, and reports a model that fails to load as a coded done event', async () => {
    const first = valueOf(await h.services.invoke('segmentation:run', { volumeId: volume.volumeId, model: 'demo', device: 'cpu' }));
    const second = valueOf(await h.services.invoke('segmentation:run', { volumeId: volume.volumeId, model: 'demo', device: 'cpu' }));
    expect((await h.waitFor('segmentation:done', (e) => e.jobId === first.jobId)).result).toMatchObject({ ok: false, error: { code: 'INFERENCE_CANCELLED' } });
    expect(valueOf(await h.services.invoke('segmentation:cancel', { jobId: second.jobId }))).toEqual({ cancelled: true });
    const cancelled = await h.waitFor('segmentation:done', (e) => e.jobId === second.jobId);
    expect(cancelled.result).toMatchObject({ ok: false, error: { code: 'INFERENCE_CANCELLED' } });

    // The menu's Open Model…: a folder that is no model is refused and never kept; one that loads is run by 'choose'.
    await expect(h.services.selectModel(join(scratch, 'no-such-model'))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(await h.services.selectModel(demoModelPath)).toBe('demo_ct_phantom_segmentation');
    const chosen = valueOf(await h.services.invoke('segmentation:run', { volumeId: volume.volumeId, model: 'choose', device: 'cpu' }));
    const done = await h.waitFor('segmentation:done', (e) => e.jobId === chosen.jobId);
    expect(valueOf(done.result).segments.map((s) => s.name)).toEqual(['organ', 'bone']);
  });
});

async function writePhantom(volume: Parameters<typeof writeNifti>[0], name: string): Promise<string> {
  const path = join(scratch, name);
  await writeNifti(volume, path);
  return path;
}
