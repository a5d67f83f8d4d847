import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapInferer } from '../../../../main/segmentation/bundle/mapInferer.js';
import type { BundleObject } from '../../../../main/segmentation/bundle/BundleValue.js';
import { loadModelSpec } from '../../../../main/segmentation/loadModelSpec.js';

const ventricular = fileURLToPath(new URL('../../../fixtures/monai-zoo-configs/ventricular_short_axis_3label', import.meta.url));

const slice = (args: Record<string, unknown>) => mapInferer({ _target_: 'SliceInferer', ...args } as BundleObject);

describe('mapInferer: MONAI SliceInferer', () => {
  it('puts a 1 into roi_size at spatial_dim (0 by default), with SlidingWindowInferer defaults for the rest', () => {
    expect(slice({ roi_size: [64, 48] })).toEqual({
      inferer: { roiSize: [1, 64, 48], sliceAxis: 0, swBatchSize: 1, overlap: 0.25, mode: 'constant', sigmaScale: 0.125, paddingMode: 'constant', cval: 0 },
      unsupported: [],
    });
    expect(slice({ roi_size: [64, 48], spatial_dim: 1 }).inferer).toMatchObject({ roiSize: [64, 1, 48], sliceAxis: 1 });
    expect(slice({ roi_size: [64, 48], spatial_dim: 2 }).inferer).toMatchObject({ roiSize: [64, 48, 1], sliceAxis: 2 });
    // the dotted name reads the same
    expect(mapInferer({ _target_: 'monai.inferers.SliceInferer', roi_size: [64, 48], spatial_dim: 1 }).inferer).toMatchObject({
      roiSize: [64, 1, 48],
      sliceAxis: 1,
    });
  });

  it('reads its SlidingWindowInferer arguments, one per axis of the 3D image or one for all', () => {
    const mapped = slice({
      roi_size: [32, -1],
      spatial_dim: 2,
      sw_batch_size: 8,
      overlap: [0.5, 0.5, 0.9],
      mode: 'gaussian',
      sigma_scale: [0.2, 0.2, 0.125],
      padding_mode: 'replicate',
      cval: -1,
      progress: true,
    });
    expect(mapped.unsupported).toEqual([]);
    // -1: the image's size along that axis (Axial's 0); along the slices overlap and sigma change nothing
    expect(mapped.inferer).toEqual({
      roiSize: [32, 0, 1],
      sliceAxis: 2,
      swBatchSize: 8,
      overlap: 0.5,
      mode: 'gaussian',
      sigmaScale: 0.2,
      paddingMode: 'replicate',
      cval: -1,
    });
  });

  it.each([
    [{ roi_size: [64, 64, 64] }, 'roi_size [64, 64, 64] is not two numbers'],
    [{ roi_size: 64 }, 'roi_size [64] is not two numbers'],
    [{ roi_size: [64, 64], spatial_dim: 3 }, 'spatial_dim 3 is not 0, 1 or 2'],
    [{ roi_size: [64, 64], spatial_dim: -1 }, 'spatial_dim -1 is not 0, 1 or 2'],
    [{ roi_size: [64, 64], overlap: [0.25, 0.5] }, 'overlap [0.25, 0.5] must be one number or one per axis'],
    [{ roi_size: [64, 64], spatial_dim: 0, overlap: [0.9, 0.25, 0.5] }, "overlap differs between the slice's axes [0.25, 0.5]"],
    [{ roi_size: [64, 64], overlap: 1 }, 'overlap [1] is not in [0, 1)'],
    [{ roi_size: [64, 64.5] }, 'must be whole numbers'],
    [{ roi_size: [64, 64], with_coord: true }, 'with_coord true is not supported'],
    [{ roi_size: [64, 64], mode: 'triangle' }, 'mode "triangle" is not supported'],
  ])('names what MONAI or Axial cannot run: %j', (args, reason) => {
    const mapped = slice(args);
    expect(mapped.unsupported).toHaveLength(1);
    expect(mapped.unsupported[0]).toMatchObject({ path: 'inferer', name: 'SliceInferer' });
    expect(mapped.unsupported[0]!.reason).toContain(reason);
  });

  it('reads the model zoo’s ventricular_short_axis_3label as runnable: a 256×256 2D network over the slices across the third axis', async () => {
    const spec = await loadModelSpec(ventricular, { configsOnly: true });
    expect(spec.unsupported).toEqual([]);
    expect(spec.inferer).toEqual({
      roiSize: [256, 256, 1],
      sliceAxis: 2,
      swBatchSize: 1,
      overlap: 0.25,
      mode: 'constant',
      sigmaScale: 0.125,
      paddingMode: 'constant',
      cval: 0,
    });
    expect(spec.preprocessing.map((s) => s.kind)).toEqual(['ScaleIntensityd']);
    expect(spec.postprocessing.map((s) => s.kind)).toEqual(['Activationsd', 'Invertd', 'AsDiscreted']);
    expect(spec.output.labels.map((l) => l.name)).toEqual(['background', 'lv_pool', 'myocardium', 'rv_pool']);
  });
});
