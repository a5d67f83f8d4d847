import { describe, expect, it } from 'vitest';
import type { ScanResult, VolumeHeader } from '../../../../core/contract.js';
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
  it('loads a scan of one series at once, and cancels a model run on the scan it replaces', async () => {
    const job = { jobId: 'j1', progress: null, cancelling: false, into: { kind: 'new' } } as const;
    const { log, context, settled } = actionHarness({ 'volume:open': async () => ok(scan(1)), 'volume:load': async () => ok(header) }, { job });
    const cancelled: string[] = [];
    createVolumeActions({ ...context, cancelJob: () => cancelled.push('cancel') }).openScan('file');
    await settled();
    expect(log).toEqual(['busy Scanning…', 'busy', 'asked open-scan', 'busy Loading series…', 'volumeLoaded']);
    expect(cancelled).toEqual(['cancel']);
  });

  it('offers a scan of several series to pick from, and picks none when the shown segmentation must stay', async () => {
    const { log, context, settled } = actionHarness({ 'volume:open': async () => ok(scan(2)) }, {}, false);
    const actions = createVolumeActions({ ...context, cancelJob: () => undefined });
    actions.openScan('folder');
    await settled();
    actions.loadSeries('s1', 2);
    await settled();
    expect(log).toEqual(['busy Scanning…', 'busy', 'pickSeries', 'asked open-scan', 'pickSeries']);
  });
});
