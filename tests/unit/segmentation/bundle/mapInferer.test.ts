import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import type { BundleObject } from '../../../../main/segmentation/bundle/BundleValue.js';
import { mapInferer } from '../../../../main/segmentation/bundle/mapInferer.js';
import { readBundle } from '../../../../main/segmentation/bundle/readBundle.js';
import { segmentVolume } from '../../../../main/segmentation/segmentVolume.js';
import { tinyVolume } from '../../../tinyVolume.js';

const sliding = (args: Record<string, unknown>) => mapInferer({ _target_: 'SlidingWindowInferer', roi_size: [15, 15, 15], ...args } as BundleObject);

describe('mapInferer: sigma_scale', () => {
  // MONAI's compute_importance_map: exp(x² / (−2 (sigma_scale·roi)²)). At sigma_scale 0 the window's centre (x = 0) is
  // 0/0 = NaN, so an odd roi gives NaN weights on its central planes; NaN and infinity are no sigma at all.
  it.each([
    [0, 'sigma_scale is 0; a gaussian window needs one above 0'],
    [-0.125, 'sigma_scale is -0.125; a gaussian window needs one above 0'],
    [NaN, 'sigma_scale is NaN, not a finite number'],
    [Infinity, 'sigma_scale is Infinity, not a finite number'],
    [[0.125, NaN, 0.125], 'sigma_scale is NaN, not a finite number'],
  ])('refuses %s for a gaussian window, saying so plainly', (sigma_scale, reason) => {
    const mapped = sliding({ mode: 'gaussian', sigma_scale });
    expect(mapped.unsupported).toEqual([{ path: 'inferer', name: 'SlidingWindowInferer', reason }]);
    const slice = mapInferer({ _target_: 'SliceInferer', roi_size: [15, 15], mode: 'gaussian', sigma_scale } as BundleObject);
    expect(slice.unsupported.map((u) => u.reason)).toEqual([reason]);
  });

  it('says a NaN overlap is not a number, not that it differs between axes', () => {
    expect(sliding({ overlap: NaN }).unsupported.map((u) => u.reason)).toEqual(['overlap is NaN, not a finite number']);
  });

  it('takes any finite sigma_scale in constant mode, where MONAI does not read it', () => {
    expect(sliding({ mode: 'constant', sigma_scale: 0 })).toMatchObject({ unsupported: [], inferer: { mode: 'constant', sigmaScale: 0 } });
    expect(sliding({ mode: 'gaussian', sigma_scale: 0.01 }).unsupported).toEqual([]);
  });

  it('refuses a YAML bundle’s .nan before the network runs: MODEL_UNSUPPORTED naming the model and the key', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-sigma-'));
    mkdirSync(join(folder, 'configs'));
    mkdirSync(join(folder, 'models'));
    writeFileSync(join(folder, 'models', 'model.onnx'), '');
    writeFileSync(
      join(folder, 'configs', 'metadata.json'),
      JSON.stringify({ name: 'sigma', network_data_format: { inputs: { image: { num_channels: 1 } }, outputs: { pred: { num_channels: 2 } } } }),
    );
    writeFileSync(
      join(folder, 'configs', 'inference.yaml'),
      'preprocessing: {_target_: Compose, transforms: []}\n' +
        'inferer: {_target_: SlidingWindowInferer, roi_size: [15, 15, 15], mode: gaussian, sigma_scale: .nan}\n' +
        'postprocessing: {_target_: Compose, transforms: [{_target_: AsDiscreted, keys: pred, argmax: true}]}\n',
    );
    const spec = await readBundle(folder);
    const volume = tinyVolume([2, 2, 2], new Float32Array(8));
    const error = await segmentVolume({ volume, spec, runBatch: () => Promise.reject(new Error('the network must not run')) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe('MODEL_UNSUPPORTED');
    expect((error as AxialError).file).toBe(join(folder, 'models', 'model.onnx'));
    expect((error as AxialError).message).toContain('SlidingWindowInferer at inferer: sigma_scale is NaN, not a finite number');
  });
});
