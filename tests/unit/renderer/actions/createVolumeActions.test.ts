import { describe, expect, it } from 'vitest';
import type { Result, ScanResult, VolumeHeader } from '../../../../core/contract.js';
import { createVolumeActions } from '../../../../renderer/actions/createVolumeActions.js';
import { ctTestVolume } from '../ctTestVolume.js';
import { actionHarness, ok } from './actionHarness.js';

const scan = (count: number): ScanResult => ({
  scanId: 's1',
  name: 'scan',
  skipped: 0,
  series: Array.from({ length: count }, (_, n) => ({ index: n + 1, uid: `u${n}`, description: '', modality: 'CT', format: 'dicom', files: 1 })),
});

/** A 2×2×1 uint8 volume whose data URL holds its four voxels. */
const header: VolumeHeader = ctTestVolume([2, 2, 1], [1, 1, 1], {
  dataType: 'uint8',
  range: [0, 3],
  units: null,
  dataUrl: `data:application/octet-stream;base64,${Buffer.from([0, 1, 2, 3]).toString('base64')}`,
}).header;

describe('createVolumeActions', () => {
  it('loads a scan of one series at once; a model run under way is asked about first and, once the user says Stop, cancelled at once', async () => {
    const job = { jobId: 'j1', progress: null, cancelling: false, into: { kind: 'new' } } as const;
    const { log, context, settled } = actionHarness({ 'volume:open': async () => ok(scan(1)), 'volume:load': async () => ok(header) }, { job });
    const mayStopRun = async (): Promise<boolean> => (log.push('asked running'), true);
    createVolumeActions({ ...context, cancelJob: () => log.push('cancel'), mayStopRun }).openScan('file');
    await settled();
    expect(log).toEqual([
      'busy Scanning…',
      'loadStarted',
      'loadEnded',
      'busy',
      'asked running',
      'cancel',
      'asked open-scan',
      'busy Loading series…',
      'loadStarted',
      'loadEnded',
      'volumeLoaded',
    ]);
  });

  it('opens nothing while a model runs if the user keeps it running; a run cancelling or whose result is being placed is not asked about', async () => {
    const job = { jobId: 'j1', progress: null, cancelling: false, into: { kind: 'new' } } as const;
    const kept = actionHarness({ 'volume:load': async () => ok(header) }, { job, pickSeries: scan(2) });
    const keep = async (): Promise<boolean> => (kept.log.push('asked running'), false);
    createVolumeActions({ ...kept.context, cancelJob: () => kept.log.push('cancel'), mayStopRun: keep }).loadSeries('s1', 2);
    await kept.settled();
    // Neither the edits question nor the load nor a cancel: the picker closes and the run goes on.
    expect(kept.log).toEqual(['asked running', 'pickSeries']);
    for (const done of [{ cancelling: true }, { finishing: true }]) {
      const other = actionHarness({ 'volume:load': async () => ok(header) }, { job: { ...job, ...done } });
      const never = async (): Promise<boolean> => (other.log.push('asked running'), false);
      createVolumeActions({ ...other.context, cancelJob: () => other.log.push('cancel'), mayStopRun: never }).loadSeries('s1', 1);
      await other.settled();
      expect(other.log).toEqual(['asked open-scan', 'busy Loading series…', 'loadStarted', 'loadEnded', 'volumeLoaded']);
    }
  });

  it('offers a scan of several series to pick from, and picks none when the shown segmentation must stay', async () => {
    const { log, context, settled } = actionHarness({ 'volume:open': async () => ok(scan(2)) }, {}, false);
    const actions = createVolumeActions({ ...context, cancelJob: () => undefined, mayStopRun: async () => true });
    actions.openScan('folder');
    await settled();
    actions.loadSeries('s1', 2);
    await settled();
    expect(log).toEqual(['busy Scanning…', 'loadStarted', 'loadEnded', 'busy', 'pickSeries', 'asked open-scan', 'pickSeries']);
  });

  it('a cancelled scan shows no error and offers nothing', async () => {
    const calls: string[] = [];
    const opening = deferred<Result<ScanResult | null>>();
    const { log, context, settled } = actionHarness(
      {
        'volume:open': () => opening.promise,
        'volume:cancel': async () => (calls.push('volume:cancel'), ok({ cancelled: true })),
      },
      {},
    );
    const actions = createVolumeActions({ ...context, cancelJob: () => undefined, mayStopRun: async () => true });
    actions.openScan('folder');
    await settled();
    actions.cancelLoad();
    await settled();
    opening.resolve(cancelledByMain);
    await settled();
    expect(calls).toEqual(['volume:cancel']);
    expect(log).toEqual(['busy Scanning…', 'loadStarted', 'loadCancelling', 'loadEnded', 'busy']);
  });

  it('a cancelled load keeps what was shown, shows no error, and offers the series picker again', async () => {
    const loading = deferred<Result<VolumeHeader>>();
    const picking = scan(2);
    const { log, context, settled } = actionHarness(
      { 'volume:load': () => loading.promise, 'volume:cancel': async () => ok({ cancelled: true }) },
      { pickSeries: picking },
    );
    const actions = createVolumeActions({ ...context, cancelJob: () => undefined, mayStopRun: async () => true });
    actions.loadSeries('s1', 2);
    await settled();
    actions.cancelLoad();
    // Esc again while it cancels: nothing more.
    actions.cancelLoad();
    loading.resolve(cancelledByMain);
    await settled();
    expect(log).toEqual(['asked open-scan', 'pickSeries', 'busy Loading series…', 'loadStarted', 'loadCancelling', 'loadEnded', 'busy', 'pickSeries']);
  });

  it('a load main finished before the Cancel reached it is still dropped, its voxels never fetched', async () => {
    const loading = deferred<Result<VolumeHeader>>();
    const { log, context, settled } = actionHarness({ 'volume:load': () => loading.promise, 'volume:cancel': async () => ok({ cancelled: false }) }, {});
    const actions = createVolumeActions({ ...context, cancelJob: () => undefined, mayStopRun: async () => true });
    actions.loadSeries('s1', 1);
    await settled();
    actions.cancelLoad();
    // Fetching this would fail, and the failure would show as an error.
    loading.resolve(ok({ ...header, dataUrl: 'http://127.0.0.1:9/none' }));
    await settled();
    expect(log).toEqual(['asked open-scan', 'busy Loading series…', 'loadStarted', 'loadCancelling', 'loadEnded', 'busy']);
  });

  it('a load that fails for another reason says so', async () => {
    const { log, context, settled } = actionHarness(
      {
        'volume:load': async () => ({ ok: false, error: { code: 'DICOM_CORRUPT_PIXEL_DATA', message: 'slice 3.dcm: the JPEG 2000 frame is damaged' } }),
      },
      {},
    );
    createVolumeActions({ ...context, cancelJob: () => undefined, mayStopRun: async () => true }).loadSeries('s1', 1);
    await settled();
    expect(log).toEqual([
      'asked open-scan',
      'busy Loading series…',
      'loadStarted',
      'loadEnded',
      'error Could not load the series: slice 3.dcm: the JPEG 2000 frame is damaged',
    ]);
  });
});

const cancelledByMain = { ok: false, error: { code: 'LOAD_CANCELLED', message: 'the load was cancelled' } } as const;

/** A call that answers when the test says. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}
