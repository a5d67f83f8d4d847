import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../../../main/segmentation/bundle/readBundle.js';

const keys = ['t1', 't2', 'flair'];
const tensor = { type: 'image', num_channels: 3, spatial_shape: [32, 32, 32], dtype: 'float32' };

/** A MONAI-tutorial-style multi-modal bundle: one key per sequence, transformed, then stacked by ConcatItemsd. */
function concatBundle(before: unknown[], options: { channelDef?: Record<string, string>; orig?: string } = {}): string {
  const folder = mkdtempSync(join(tmpdir(), 'axial-concat-'));
  mkdirSync(join(folder, 'configs'));
  const metadata = {
    network_data_format: {
      inputs: { image: { ...tensor, ...(options.channelDef ? { channel_def: options.channelDef } : {}) } },
      outputs: { pred: { ...tensor, num_channels: 2, channel_def: { 0: 'background', 1: 'lesion' } } },
    },
  };
  const inference = {
    preprocessing: {
      _target_: 'Compose',
      transforms: [
        { _target_: 'LoadImaged', keys },
        { _target_: 'EnsureChannelFirstd', keys },
        ...before,
        { _target_: 'ConcatItemsd', keys, name: 'image', dim: 0 },
        { _target_: 'ScaleIntensityd', keys: 'image', minv: -1, maxv: 1 },
        { _target_: 'EnsureTyped', keys: 'image' },
      ],
    },
    inferer: { _target_: 'SlidingWindowInferer', roi_size: [32, 32, 32] },
    postprocessing: {
      _target_: 'Compose',
      transforms: [
        { _target_: 'Activationsd', keys: 'pred', softmax: true },
        { _target_: 'Invertd', keys: 'pred', transform: '@preprocessing', orig_keys: options.orig ?? 't1', nearest_interp: false },
        { _target_: 'AsDiscreted', keys: 'pred', argmax: true },
      ],
    },
  };
  writeFileSync(join(folder, 'configs', 'metadata.json'), JSON.stringify(metadata));
  writeFileSync(join(folder, 'configs', 'inference.json'), JSON.stringify(inference));
  return folder;
}

const spatial = [
  { _target_: 'Orientationd', keys, axcodes: 'RAS' },
  { _target_: 'Spacingd', keys, pixdim: [1, 1, 2], mode: ['bilinear', 'bilinear', 'bilinear'] },
  { _target_: 'NormalizeIntensityd', keys, nonzero: true },
];

describe('ConcatItemsd: one key per sequence stacked into the image', () => {
  it('reads the keys as the input channels, and the transforms on every key as the image’s (intensity ones per channel)', async () => {
    const spec = await readBundle(concatBundle(spatial), { configsOnly: true });
    expect(spec.unsupported).toEqual([]);
    expect(spec.input.channelNames).toEqual(['t1', 't2', 'flair']);
    expect(spec.preprocessing).toEqual([
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'Spacingd', pixdim: [1, 1, 2], mode: 'bilinear' },
      // NormalizeIntensityd ran on each key alone: channel-wise on the stacked image. ScaleIntensityd after the stack is joint.
      { kind: 'NormalizeIntensityd', nonzero: true, channelWise: true, subtrahend: null, divisor: null },
      { kind: 'ScaleIntensityd', minv: -1, maxv: 1, factor: null },
    ]);
    expect(spec.ignored).toContain("ConcatItemsd (preprocessing.transforms[5], stacks t1, t2, flair into the image's channels)");
    // The metadata's channel_def, when it has one, names the channels instead.
    const named = await readBundle(concatBundle(spatial, { channelDef: { 0: 'T1w', 1: 'T2w', 2: 'FLAIR' } }), { configsOnly: true });
    expect(named.input.channelNames).toEqual(['T1w', 'T2w', 'FLAIR']);
  });

  it('names a transform on some channels only, per-channel modes that differ, and an Invertd of another key', async () => {
    const some = await readBundle(concatBundle([{ _target_: 'Spacingd', keys: ['t1', 't2'], pixdim: 1 }]), { configsOnly: true });
    expect(some.unsupported.map((u) => `${u.name}: ${u.reason}`)).toEqual([
      'Spacingd: it applies to t1, t2 only, not to every channel ConcatItemsd stacks (t1, t2, flair)',
    ]);
    const modes = await readBundle(concatBundle([{ _target_: 'Spacingd', keys, pixdim: 1, mode: ['bilinear', 'nearest', 'bilinear'] }]), {
      configsOnly: true,
    });
    expect(modes.unsupported.map((u) => u.reason)).toEqual(['its mode differs between the channels it stacks']);
    const other = await readBundle(concatBundle(spatial, { orig: 'label' }), { configsOnly: true });
    expect(other.unsupported.map((u) => u.name)).toEqual(['Invertd']);
  });
});
