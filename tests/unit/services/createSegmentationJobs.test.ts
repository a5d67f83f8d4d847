import { describe, expect, it } from 'vitest';
import type { EventName, EventTypes, MaskHeader } from '../../../core/contract.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { createSegmentationJobs, type StartJobParams } from '../../../main/services/createSegmentationJobs.js';
import type { InferenceResult } from '../../../main/segmentation/process/inferenceMessages.js';
import type { InferenceProcess, SegmentCallOptions } from '../../../main/segmentation/process/runInferenceProcess.js';
import type { Volume } from '../../../main/volume/Volume.js';

type Done = EventTypes['segmentation:done'];

/**
 * An inference process that answers each segment request when the test says so, and ends it as
 * cancelled (the real one is killed) when its signal aborts.
 */
function fakeInference() {
  const calls: { finish: () => void }[] = [];
  let alive = true;
  const process: InferenceProcess = {
    pid: 1,
    get alive() {
      return alive;
    },
    segment(_request, options?: SegmentCallOptions) {
      return new Promise<InferenceResult>((resolve, reject) => {
        calls.push({ finish: () => resolve({ skippedProviders: [], warnings: [], provider: 'cpu' } as unknown as InferenceResult) });
        options?.signal?.addEventListener('abort', () => {
          alive = false;
          reject(new AxialError('INFERENCE_CANCELLED', 'segmentation cancelled'));
        });
      });
    },
    describe: async () => ({ name: 'fake', channels: [] }),
    close: async () => undefined,
  };
  return { process, calls };
}

function harness() {
  const fake = fakeInference();
  const done: Done[] = [];
  const accepted: string[] = [];
  let started = 0;
  const jobs = createSegmentationJobs({
    startInference: () => {
      started++;
      return fake.process;
    },
    emit: <E extends EventName>(event: E, payload: EventTypes[E]) => {
      if (event === 'segmentation:done') done.push(payload as Done);
    },
    acceptResult: async (params) => {
      accepted.push(params.modelPath);
      return { maskId: `mask-${accepted.length}` } as unknown as MaskHeader;
    },
    logError: () => undefined,
  });
  return { jobs, fake, done, accepted, started: () => started };
}

const volume = {
  voxels: new Int16Array(8),
  dimensions: [2, 2, 2],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
} as unknown as Volume;
const params = (modelPath: string, more: Partial<StartJobParams> = {}): StartJobParams => ({ volumeId: 'v', volume, modelPath, device: 'cpu', ...more });
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('createSegmentationJobs', () => {
  it('runs one model run at a time: a second start replaces the first, which ends cancelled and keeps no result', async () => {
    const h = harness();
    const first = h.jobs.start(params('a'));
    await settle();
    expect(h.fake.calls).toHaveLength(1);
    const second = h.jobs.start(params('b'));
    await settle();
    expect(h.done.find((d) => d.jobId === first)?.result).toEqual({ ok: false, error: { code: 'INFERENCE_CANCELLED', message: 'segmentation cancelled' } });
    expect(h.fake.calls).toHaveLength(2);
    h.fake.calls[1]!.finish();
    await settle();
    expect(h.done.find((d) => d.jobId === second)?.result.ok).toBe(true);
    expect(h.accepted).toEqual(['b']);
    expect(await h.jobs.cancel(first)).toBe(false);
  });

  it('a double start before either ran leaves one job, and cancelling it leaves nothing running', async () => {
    const h = harness();
    const first = h.jobs.start(params('a'));
    const second = h.jobs.start(params('b'));
    expect(h.jobs.modelRun()).toBe(second);
    await settle();
    expect(h.done.map((d) => [d.jobId, d.result.ok])).toEqual([[first, false]]);
    expect(h.fake.calls).toHaveLength(1);
    expect(await h.jobs.cancel(second)).toBe(true);
    expect(h.jobs.modelRun()).toBeUndefined();
    await settle();
    expect(h.done.map((d) => d.jobId)).toEqual([first, second]);
    expect(h.accepted).toEqual([]);
  });

  it('click-to-segment runs still queue, and replace no model run', async () => {
    const h = harness();
    const run = h.jobs.start(params('a'));
    const clicks = [h.jobs.start(params('i', { points: [] })), h.jobs.start(params('i', { points: [] }))];
    await settle();
    expect(h.done).toEqual([]);
    // The model run is the one under way (the close guard asks about it), not the clicks.
    expect(h.jobs.modelRun()).toBe(run);
    h.fake.calls[0]!.finish();
    await settle();
    expect(h.jobs.modelRun()).toBeUndefined();
    h.fake.calls[1]!.finish();
    await settle();
    h.fake.calls[2]!.finish();
    await settle();
    expect(h.done.map((d) => [d.jobId, d.result.ok])).toEqual([
      [run, true],
      [clicks[0], true],
      [clicks[1], true],
    ]);
  });
});
