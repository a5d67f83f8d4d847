import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSegmentationActions } from '../../../../renderer/actions/createSegmentationActions.js';
import type { SegmentationSession, ViewerState } from '../../../../renderer/state/viewerState.js';
import { actionHarness, ok } from './actionHarness.js';

const volume = { header: { volumeId: 'v1' } } as unknown as ViewerState['volume'];
const shown = { maskId: 'm1' } as unknown as SegmentationSession;

describe('createSegmentationActions', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it('runs a model into the shown segmentation, or refuses a new one while an earlier session is offered', async () => {
    // The device choice reads the platform from the page's navigator, which Node does not have.
    vi.stubGlobal('navigator', { platform: 'Linux x86_64', userAgent: '' });
    const runs: unknown[] = [];
    const api = {
      'model:inputs': async () => ok({ modelName: 'Demo', channels: [], series: [] }),
      'segmentation:run': async (request: unknown) => (runs.push(request), ok({ jobId: 'j1' })),
    };
    const into = actionHarness(api, { volume, segmentation: shown });
    createSegmentationActions(into.context).runModel('demo', 'cpu', 'append');
    await into.settled();
    expect(runs).toEqual([{ volumeId: 'v1', model: 'demo', device: 'cpu', inputs: undefined }]);
    expect(into.log).toEqual(['jobStarted']);

    const blocked = actionHarness(api, { volume, recovery: { name: 'a', edits: 1 } as unknown as ViewerState['recovery'] });
    createSegmentationActions(blocked.context).runModel('demo', 'cpu', 'new');
    await blocked.settled();
    expect(runs).toHaveLength(1);
    expect(blocked.log).toEqual([expect.stringMatching(/^error Could not run the model: first restore or discard/)]);
  });

  it('asks for a series per channel before running a model of several images, then runs it on them', async () => {
    vi.stubGlobal('navigator', { platform: 'Linux x86_64', userAgent: '' });
    const runs: unknown[] = [];
    const inputs = {
      modelName: 'Tumour',
      channels: [
        { name: 'T1c', seriesIndex: 1 },
        { name: 'FLAIR', seriesIndex: null },
      ],
      series: [],
    };
    const api = {
      'model:inputs': async () => ok(inputs),
      'segmentation:run': async (request: unknown) => (runs.push(request), ok({ jobId: 'j1' })),
    };
    const asking = actionHarness(api, { volume });
    createSegmentationActions(asking.context).runModel('choose', 'cpu', 'new');
    await asking.settled();
    expect(runs).toEqual([]);
    expect(asking.log).toEqual(['modelInputs']);

    const dialog = { inputs, model: 'choose', device: 'cpu', kind: 'new' } as const;
    const chosen = actionHarness(api, { volume, modelInputs: dialog });
    const picked = [
      { channel: 'T1c', seriesIndex: 1 },
      { channel: 'FLAIR', seriesIndex: 4 },
    ];
    createSegmentationActions(chosen.context).runModelWithInputs(picked);
    await chosen.settled();
    expect(runs).toEqual([{ volumeId: 'v1', model: 'choose', device: 'cpu', inputs: picked }]);
    expect(chosen.log).toEqual(['modelInputs', 'jobStarted']);
  });

  it('ends the job once main has cancelled it', async () => {
    const job = { jobId: 'j1', progress: null, cancelling: false, into: { kind: 'new' } } as const;
    const { log, context, settled } = actionHarness({ 'segmentation:cancel': async () => ok({ cancelled: true }) }, { volume, job });
    createSegmentationActions(context).cancelJob();
    await settled();
    expect(log).toEqual(['jobCancelling', 'jobEnded', 'status Model run cancelled']);
  });
});
