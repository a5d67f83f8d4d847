import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../../../main/segmentation/bundle/readBundle.js';
import { interactiveSpecOf } from '../../../../main/segmentation/interactive/resolveClicks.js';

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

/** The model zoo's spleen_deepedit_annotation 0.5.6 configs, as they are there, less logging and training keys. */
const spleenMetadata = {
  name: 'Spleen DeepEdit annotation',
  network_data_format: {
    inputs: { image: { num_channels: 3, spatial_shape: [128, 128, 128], channel_def: { '0': 'image' } } },
    outputs: { pred: { num_channels: 2, spatial_shape: [128, 128, 128], channel_def: { '0': 'background', '1': 'spleen' } } },
  },
};

const spleenInference = (deepedit: unknown[]) => ({
  imports: ['$import glob', '$import numpy', '$import os', '$import ignite'],
  bundle_root: '.',
  image_key: 'image',
  label_names: { spleen: 1, background: 0 },
  spatial_size: [128, 128, 128],
  number_intensity_ch: 1,
  network_def: {
    _target_: 'DynUNet',
    spatial_dims: 3,
    in_channels: '$len(@label_names) + @number_intensity_ch',
    out_channels: '$len(@label_names)',
    kernel_size: [3, 3, 3, 3, 3, 3],
    strides: [1, 2, 2, 2, 2, [2, 2, 1]],
    upsample_kernel_size: [2, 2, 2, 2, [2, 2, 1]],
    norm_name: 'instance',
    deep_supervision: false,
    res_block: true,
  },
  preprocessing_transforms: [
    { _target_: 'LoadImaged', keys: '@image_key', reader: 'ITKReader' },
    { _target_: 'EnsureChannelFirstd', keys: '@image_key' },
    { _target_: 'Orientationd', keys: '@image_key', axcodes: 'RAS' },
    { _target_: 'ScaleIntensityRanged', keys: '@image_key', a_min: -175, a_max: 250, b_min: 0.0, b_max: 1.0, clip: true },
  ],
  deepedit_transforms: deepedit,
  extra_transforms: [{ _target_: 'EnsureTyped', keys: '@image_key' }],
  preprocessing: { _target_: 'Compose', transforms: '$@preprocessing_transforms + @deepedit_transforms + @extra_transforms' },
  inferer: { _target_: 'SimpleInferer' },
  postprocessing: {
    _target_: 'Compose',
    transforms: [
      { _target_: 'EnsureTyped', keys: 'pred' },
      { _target_: 'Activationsd', keys: 'pred', softmax: true },
      { _target_: 'Invertd', keys: 'pred', transform: '@preprocessing', orig_keys: '@image_key', nearest_interp: false, to_tensor: true },
      { _target_: 'AsDiscreted', keys: 'pred', argmax: true },
      { _target_: 'SaveImaged', keys: 'pred', output_dir: '@output_dir', output_ext: '.nii.gz', separate_folder: true },
    ],
  },
  output_dir: "$@bundle_root + '/eval'",
});

const clickTransforms = [
  { _target_: 'scripts.transforms.OrientationGuidanceMultipleLabelDeepEditd', ref_image: '@image_key', label_names: '@label_names' },
  { _target_: 'AddGuidanceFromPointsDeepEditd', ref_image: '@image_key', guidance: 'guidance', label_names: '@label_names' },
  { _target_: 'Resized', keys: '@image_key', spatial_size: '@spatial_size', mode: 'area' },
  { _target_: 'ResizeGuidanceMultipleLabelDeepEditd', guidance: 'guidance', ref_image: '@image_key' },
  { _target_: 'AddGuidanceSignalDeepEditd', keys: '@image_key', guidance: 'guidance', number_intensity_ch: '@number_intensity_ch' },
];

function bundle(inference: unknown): string {
  const folder = mkdtempSync(join(tmpdir(), 'axial-deepedit-bundle-'));
  folders.push(folder);
  mkdirSync(join(folder, 'configs'));
  writeFileSync(join(folder, 'configs', 'metadata.json'), JSON.stringify(spleenMetadata));
  writeFileSync(join(folder, 'configs', 'inference.json'), JSON.stringify(inference));
  return folder;
}

describe('readBundle on the spleen_deepedit_annotation schema', () => {
  it('reads the click transforms: guidance channels in label_names order (spleen, then background)', async () => {
    const spec = await readBundle(bundle(spleenInference(clickTransforms)), { configsOnly: true });
    expect(spec.unsupported).toEqual([]);
    expect(spec.interactive).toEqual({
      labelNames: ['spleen', 'background'],
      backgroundName: 'background',
      intensityChannels: 1,
      sigma: 3,
      spatialSize: [128, 128, 128],
      discardGuidance: false,
    });
    expect(spec.input.channels).toBe(3);
    expect(spec.preprocessing.map((s) => s.kind)).toEqual(['Orientationd', 'ScaleIntensityRanged']);
    expect(spec.ignored.join('\n')).toMatch(/OrientationGuidanceMultipleLabelDeepEditd/);
  });

  it('reads DiscardAddGuidanced (the automatic mode) as zero guidance', async () => {
    const spec = await readBundle(
      bundle(
        spleenInference([
          { _target_: 'Resized', keys: '@image_key', spatial_size: '@spatial_size', mode: 'area' },
          { _target_: 'DiscardAddGuidanced', keys: '@image_key', label_names: '@label_names', number_intensity_ch: 1 },
        ]),
      ),
      { configsOnly: true },
    );
    expect(spec.unsupported).toEqual([]);
    expect(spec.interactive?.discardGuidance).toBe(true);
    expect(spec.interactive?.labelNames).toEqual(['spleen', 'background']);
    // It runs without clicks; clicks given to it are refused, not silently dropped.
    expect(interactiveSpecOf(spec, 0)).toBe(spec.interactive);
    let refused: unknown;
    try {
      interactiveSpecOf(spec, 2);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'CLICK_INVALID', message: expect.stringMatching(/without clicks/) as unknown });
  });

  it('refuses a sigma that is not a size on the network grid (YAML .inf, 1e9: a kernel of billions of taps)', async () => {
    for (const sigma of [1e9, 257, -1, 0]) {
      const transforms = clickTransforms.map((t) => (t._target_ === 'AddGuidanceSignalDeepEditd' ? { ...t, sigma } : t));
      const spec = await readBundle(bundle(spleenInference(transforms)), { configsOnly: true });
      expect(spec.unsupported.map((u) => `${u.name}: ${u.reason}`)).toEqual([`AddGuidanceSignalDeepEditd: sigma ${sigma} is not between 0 and 256 voxels`]);
    }
  });

  it('names what it cannot run: another Resized mode, a random discard, Resized without the click transforms', async () => {
    const bilinear = clickTransforms.map((t) => (t._target_ === 'Resized' ? { ...t, mode: 'trilinear' } : t));
    const a = await readBundle(bundle(spleenInference(bilinear)), { configsOnly: true });
    expect(a.unsupported.map((u) => u.name)).toEqual(['Resized']);
    const random = [{ _target_: 'DiscardAddGuidanced', keys: '@image_key', label_names: '@label_names', probability: 0.5 }];
    const b = await readBundle(bundle(spleenInference(random)), { configsOnly: true });
    expect(b.unsupported[0]?.reason).toMatch(/random/);
    const plain = [{ _target_: 'Resized', keys: '@image_key', spatial_size: '@spatial_size', mode: 'area' }];
    const c = await readBundle(bundle(spleenInference(plain)), { configsOnly: true });
    expect(c.unsupported.map((u) => u.reason).join('\n')).toMatch(/Axial does not run Resized/);
  });
});
