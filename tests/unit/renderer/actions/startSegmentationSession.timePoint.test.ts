import { describe, expect, it } from 'vitest';
import type { ArgumentsOf, MaskHeader, VolumeHeader } from '../../../../core/contract.js';
import type { LoadedVolume } from '../../../../renderer/data/LoadedVolume.js';
import { storedPixelFormat } from '../../../../renderer/data/storedPixels.js';
import { startSegmentationSession } from '../../../../renderer/actions/startSegmentationSession.js';
import { onScanValuesChange } from '../../../../renderer/segmentation/growFromSeedsScanValues.js';

/** Time point `timePoint` of a 4×4×2 int16 series (voxel n holds n + 100·t), at `origin`. */
function timePoint(timePoint: number, origin: readonly [number, number, number] = [0, 0, 0]): LoadedVolume {
  const header: VolumeHeader = {
    volumeId: `t${timePoint}@${origin.join(',')}`,
    dimensions: [4, 4, 2],
    spacing: [1, 1, 1],
    origin: [...origin],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    dataType: 'int16',
    range: [100 * timePoint, 100 * timePoint + 31],
    units: null,
    modality: 'MR',
    description: '',
    windowPresets: [],
    invertDisplay: false,
    details: [],
    warnings: [],
    dataUrl: '',
    format: 'nifti',
    recovery: null,
    measurements: [],
    timePoint,
    timePoints: 3,
  };
  const voxels = Int16Array.from({ length: 32 }, (_, n) => n + 100 * timePoint);
  return { header, voxels, format: storedPixelFormat('int16', header.range), source: { scanId: 's1', seriesIndex: 1 } };
}

describe('startSegmentationSession: following the time point drawn', () => {
  it('reads the new values and tells a tool that copied them; a volume off the grid (as main judges) is not followed', () => {
    const own = timePoint(0);
    const header: MaskHeader = { maskId: 'm1', volumeId: own.header.volumeId, name: 'm', layers: [], segments: [], warnings: [], unsavedEdits: 0 };
    const asked: ArgumentsOf<'mask:statistics'>[] = [];
    const { session, stop } = startSegmentationSession({
      api: {
        'mask:edit': () => Promise.reject(new Error('not expected')),
        'mask:statistics': (args) => {
          asked.push(args);
          return new Promise(() => undefined);
        },
      },
      header,
      volume: own,
      layers: [new Uint8Array(32)],
      dispatch: () => undefined,
    });
    const scanValue = session.store.scanValue!;
    let changes = 0;
    onScanValuesChange(scanValue, () => changes++);

    // Same series and dimensions, but moved 5 mm: main refuses its statistics (MASK_VOLUME_MISMATCH), so it is not followed.
    session.followVolume!(timePoint(2, [0, 0, 5]));
    expect([scanValue(7), changes, asked.length]).toEqual([7, 0, 0]);

    session.followVolume!(timePoint(2));
    expect([scanValue(7), changes]).toEqual([207, 1]);
    expect(asked).toEqual([{ maskId: 'm1', volumeId: 't2@0,0,0' }]);
    stop();
  });
});
