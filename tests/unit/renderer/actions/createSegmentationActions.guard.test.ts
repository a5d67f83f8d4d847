import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventTypes } from '../../../../core/contract.js';
import { createSegmentationActions } from '../../../../renderer/actions/createSegmentationActions.js';
import type { ViewerState } from '../../../../renderer/state/viewerState.js';
import { actionHarness, ok } from './actionHarness.js';

const volume = { header: { volumeId: 'v1' } } as unknown as ViewerState['volume'];
type Done = EventTypes['segmentation:done'];

/** A fake main: counts the calls, and sends a done event to the page's listeners when told. */
function fakeMain(inputsAnswer: () => Promise<unknown> = async () => ok({ modelName: 'Spleen CT', channels: [], series: [] })) {
  const calls: string[] = [];
  const listeners = new Set<(event: Done) => void>();
  const api = {
    'model:inputs': async () => (calls.push('model:inputs'), inputsAnswer()),
    'segmentation:run': async () => (calls.push('segmentation:run'), ok({ jobId: `j${calls.length}` })),
    on: (_event: string, listener: (event: Done) => void) => (listeners.add(listener), () => void listeners.delete(listener)),
  };
  const done = (event: Done) => [...listeners].forEach((listener) => listener(event));
  return { api, calls, done };
}

describe('createSegmentationActions: one click, one run', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it('a second Run while the first is still starting (a double click) does nothing', async () => {
    vi.stubGlobal('navigator', { platform: 'Linux x86_64', userAgent: '' });
    const main = fakeMain();
    const h = actionHarness(main.api as never, { volume });
    const actions = createSegmentationActions(h.context);
    actions.runModel('demo', 'cpu', 'new');
    actions.runModel('demo', 'cpu', 'new');
    await h.settled();
    expect(main.calls).toEqual(['model:inputs', 'segmentation:run']);
    expect(h.log).toEqual(['jobStarted']);
  });

  it('a closed folder chooser says nothing', async () => {
    const main = fakeMain(async () => ({ ok: false, error: { code: 'INFERENCE_CANCELLED', message: 'no model was chosen' } }));
    const h = actionHarness(main.api as never, { volume });
    createSegmentationActions(h.context).runModel('choose', 'cpu', 'new');
    await h.settled();
    expect(h.log).toEqual([]);
    expect(main.calls).toEqual(['model:inputs']);
  });

  it('offers a chosen model by name once it has run, and forgets it when a later choice fails', async () => {
    vi.stubGlobal('navigator', { platform: 'Linux x86_64', userAgent: '' });
    const main = fakeMain();
    const h = actionHarness(main.api as never, { volume });
    const actions = createSegmentationActions(h.context);
    actions.runModel('choose', 'cpu', 'new');
    await h.settled();
    expect(actions.chosenModel.getSnapshot()).toBeNull();
    main.done({ jobId: 'j2', result: ok({}) as Done['result'] });
    expect(actions.chosenModel.getSnapshot()).toBe('Spleen CT');
    actions.runModel('choose', 'cpu', 'new');
    await h.settled();
    main.done({ jobId: 'j4', result: { ok: false, error: { code: 'MODEL_INVALID', message: 'x' } } });
    expect(actions.chosenModel.getSnapshot()).toBeNull();
  });
});
