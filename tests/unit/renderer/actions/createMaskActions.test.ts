import { describe, expect, it } from 'vitest';
import type { MaskHeader } from '../../../../core/contract.js';
import { createMaskActions } from '../../../../renderer/actions/createMaskActions.js';
import type { SegmentationSession, ViewerState } from '../../../../renderer/state/viewerState.js';
import { actionHarness, ok } from './actionHarness.js';

const volume = { header: { volumeId: 'v1' } } as unknown as ViewerState['volume'];
const shown = { maskId: 'm1', synced: async () => undefined } as unknown as SegmentationSession;
const labels = { maskId: 'm2', volumeId: 'v1', name: 'labels.nii.gz' } as unknown as MaskHeader;

describe('createMaskActions', () => {
  it('opens labels only once the shown segmentation may go; otherwise main lets the opened file go', async () => {
    const calls: string[] = [];
    const api = {
      'mask:open': async () => ok(labels),
      'mask:close': async ({ maskId }: { maskId: string }) => (calls.push(`close ${maskId}`), ok({ closed: true })),
    };
    for (const leave of ['saved', false] as const) {
      const { log, context, settled } = actionHarness(api, { volume, segmentation: shown }, leave);
      const showMask = async (_api: unknown, header: MaskHeader, status: string) => (calls.push(`show ${header.maskId} ${status}`), null);
      createMaskActions({ ...context, showMask }).openLabels();
      await settled();
      expect(log).toEqual(['busy Opening labels…', 'busy', 'asked open-labels']);
    }
    expect(calls).toEqual(['show m2 Opened labels.nii.gz', 'close m2']);
  });

  it('keeps the edits unsaved when the file cannot hold every segment', async () => {
    const saved = { saved: true, fileName: 'a.nii.gz', warnings: ['overlap'], complete: false };
    const { log, context, settled } = actionHarness({ 'mask:export': async () => ok(saved) }, { volume, segmentation: shown });
    createMaskActions({ ...context, showMask: async () => null }).exportLabels('nifti');
    await settled();
    expect(log).toEqual(['status Saved a.nii.gz (overlap); it cannot hold every segment, so the edits stay unsaved']);
  });
});
