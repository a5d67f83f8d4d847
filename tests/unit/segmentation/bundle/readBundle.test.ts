import type { ModelSpec } from '../../../../main/segmentation/ModelSpec.js';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { readBundle } from '../../../../main/segmentation/bundle/readBundle.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

/** A bundle folder in tmp with the zoo bundle's configs and an empty placeholder models/model.onnx. */
function copyZooBundle(name: string): string {
  const folder = mkdtempSync(join(tmpdir(), `axial-${name}-`));
  cpSync(sharedData(`monai-zoo/${name}/configs`), join(folder, 'configs'), { recursive: true });
  mkdirSync(join(folder, 'models'));
  writeFileSync(join(folder, 'models', 'model.onnx'), '');
  return folder;
}

const metadata = {
  name: 'Test bundle',
  network_data_format: {
    inputs: { image: { num_channels: 1, spatial_shape: [64, 64, 32] } },
    outputs: { pred: { num_channels: 2, channel_def: { '0': 'background', '1': 'organ' } } },
  },
};

const transform = (target: string, args: Record<string, unknown> = {}) => ({ _target_: target, keys: '@image_key', ...args });

const inference = (preprocessing: unknown[], extra: Record<string, unknown> = {}) => ({
  image_key: 'image',
  preprocessing: { _target_: 'Compose', transforms: preprocessing },
  inferer: { _target_: 'SlidingWindowInferer', roi_size: [64, 64, 32] },
  postprocessing: { _target_: 'Compose', transforms: [{ _target_: 'AsDiscreted', keys: 'pred', argmax: true }] },
  ...extra,
});

interface BundleFiles {
  metadata?: unknown;
  inference?: unknown;
  inferenceName?: string;
  model?: boolean;
  other?: Record<string, unknown>;
}

/** A hand-built bundle; strings are written as they are (for malformed files), anything else as JSON. */
function makeBundle(files: BundleFiles): string {
  const folder = mkdtempSync(join(tmpdir(), 'axial-bundle-'));
  mkdirSync(join(folder, 'configs'));
  mkdirSync(join(folder, 'models'));
  const write = (path: string, content: unknown) => writeFileSync(join(folder, path), typeof content === 'string' ? content : JSON.stringify(content));
  if (files.metadata !== undefined) write('configs/metadata.json', files.metadata);
  if (files.inference !== undefined) write(`configs/${files.inferenceName ?? 'inference.json'}`, files.inference);
  if (files.model !== false) write('models/model.onnx', '');
  for (const [path, content] of Object.entries(files.other ?? {})) write(path, content);
  return folder;
}

async function expectError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AxialError);
  expect((error as AxialError).code).toBe(code);
  expect((error as AxialError).message).toMatch(message);
}

const unsupportedOf = (spec: ModelSpec) => spec.unsupported.map((u) => `${u.path} ${u.name}: ${u.reason}`);

describe.skipIf(!hasSharedData)(`readBundle on the MONAI model zoo (${noSharedDataReason})`, () => {
  const expectedUnsupported: Record<string, string[]> = {
    brats_mri_segmentation: [],
    multi_organ_segmentation: [],
    prostate_mri_anatomy: [],
    spleen_ct_segmentation: [],
    swin_unetr_btcv_segmentation: [],
    wholeBody_ct_segmentation: [],
  };

  it('inspects every bundle cleanly or names what it cannot run', async () => {
    const names = readdirSync(sharedData('monai-zoo')).sort();
    expect(names).toEqual(Object.keys(expectedUnsupported).sort());
    for (const name of names) {
      const spec = await readBundle(copyZooBundle(name));
      expect(unsupportedOf(spec), name).toEqual(expectedUnsupported[name]);
      expect(spec.output.labels.length, name).toBe(spec.output.channels);
      expect(
        spec.ignored.some((i) => i.startsWith('LoadImaged (preprocessing.transforms[0]')),
        name,
      ).toBe(true);
    }
  });

  it('derives spleen_ct_segmentation, with MONAI defaults where the bundle leaves keys out', async () => {
    const folder = copyZooBundle('spleen_ct_segmentation');
    const spec = await readBundle(folder);
    expect(spec.name).toBe('Spleen CT segmentation');
    expect(spec.modelPath).toBe(join(folder, 'models', 'model.onnx'));
    expect(spec.input).toEqual({ channels: 1, spatialShape: [96, 96, 96] });
    expect(spec.output.labels).toEqual([
      { value: 0, name: 'background' },
      { value: 1, name: 'spleen' },
    ]);
    expect(spec.preprocessing).toEqual([
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'Spacingd', pixdim: [1.5, 1.5, 2], mode: 'bilinear' },
      { kind: 'ScaleIntensityRanged', aMin: -57, aMax: 164, bMin: 0, bMax: 1, clip: true },
    ]);
    expect(spec.inferer).toEqual({
      roiSize: [96, 96, 96],
      swBatchSize: 4,
      overlap: 0.5,
      mode: 'constant',
      sigmaScale: 0.125,
      paddingMode: 'constant',
      cval: 0,
    });
    expect(spec.postprocessing).toEqual([
      { kind: 'Activationsd', softmax: true, sigmoid: false },
      { kind: 'Invertd', nearestInterp: false },
      { kind: 'AsDiscreted', argmax: true, threshold: null },
    ]);
    expect(spec.ignored).toEqual([
      'LoadImaged (preprocessing.transforms[0])',
      'EnsureChannelFirstd (preprocessing.transforms[1])',
      'EnsureTyped (preprocessing.transforms[5])',
      'SaveImaged (postprocessing.transforms[3])',
    ]);
    expect(spec.warnings).toEqual([]);
  });

  it('derives wholeBody_ct_segmentation: inference.json over metadata, references and a conditional expression', async () => {
    const spec = await readBundle(copyZooBundle('wholeBody_ct_segmentation'));
    expect(spec.output.channels).toBe(105);
    expect(spec.output.labels).toHaveLength(105);
    expect(spec.output.labels[104]).toEqual({ value: 104, name: expect.any(String) });
    expect(spec.preprocessing.slice(1)).toEqual([
      { kind: 'Spacingd', pixdim: [1.5, 1.5, 1.5], mode: 'bilinear' },
      { kind: 'NormalizeIntensityd', nonzero: true, channelWise: false, subtrahend: null, divisor: null },
      { kind: 'ScaleIntensityd', minv: -1, maxv: 1, factor: null },
    ]);
    expect(spec.inferer).toMatchObject({ mode: 'gaussian', paddingMode: 'replicate', swBatchSize: 1, overlap: 0.25, sigmaScale: 0.125 });
    expect(spec.postprocessing.map((s) => s.kind)).toEqual(['Activationsd', 'AsDiscreted', 'Invertd']);
    expect(spec.postprocessing[2]).toEqual({ kind: 'Invertd', nearestInterp: true });
  });

  it('derives multi_organ_segmentation from YAML, with network_def channels through references', async () => {
    const spec = await readBundle(copyZooBundle('multi_organ_segmentation'));
    expect(spec.input.channels).toBe(1);
    expect(spec.output.channels).toBe(8);
    expect(spec.output.labels.map((l) => l.name)).toEqual(['background', 'artery', 'portal vein', 'liver', 'spleen', 'stomach', 'gallbladder', 'pancreas']);
    expect(spec.preprocessing[1]).toEqual({ kind: 'Spacingd', pixdim: [1, 1, 1], mode: 'bilinear' });
    expect(spec.preprocessing[2]).toEqual({ kind: 'ScaleIntensityRanged', aMin: -500, aMax: 500, bMin: 0, bMax: 1, clip: true });
    expect(spec.inferer).toMatchObject({ roiSize: [96, 96, 96], swBatchSize: 4, overlap: 0.625, mode: 'constant' });
    expect(spec.warnings).toEqual([]);
  });

  it('derives prostate_mri_anatomy and says what Axial gives where MONAI interpolates its cleaned labels when inverting', async () => {
    const spec = await readBundle(copyZooBundle('prostate_mri_anatomy'));
    expect(spec.preprocessing.map((s) => s.kind)).toEqual(['Orientationd', 'Spacingd', 'ScaleIntensityd', 'NormalizeIntensityd']);
    expect(spec.postprocessing[1]).toEqual({ kind: 'KeepLargestConnectedComponentd', appliedLabels: [1, 2], independent: true, connectivity: 3 });
    expect(spec.warnings).toEqual([
      'Invertd interpolates (nearest_interp false) the labels AsDiscreted made, which in MONAI gives in-between values at label edges; ' +
        'Axial keeps the largest components on the network grid, as MONAI does, and gives each voxel the label of the network voxel nearest it',
    ]);
  });

  it('says Axial interpolates probabilities where AsDiscreted comes before an interpolating Invertd, and nothing after a nearest Spacingd', async () => {
    const post = (mode: string) =>
      inference([transform('Spacingd', { pixdim: [1, 1, 1], mode })], {
        postprocessing: [
          { _target_: 'AsDiscreted', keys: 'pred', argmax: true },
          { _target_: 'Invertd', keys: 'pred', transform: '@preprocessing', orig_keys: 'image', nearest_interp: false },
        ],
      });
    const bilinear = await readBundle(makeBundle({ metadata, inference: post('bilinear') }));
    expect(bilinear.warnings.join('\n')).toMatch(/in MONAI gives in-between values at label edges; Axial interpolates the probabilities instead/);
    expect((await readBundle(makeBundle({ metadata, inference: post('nearest') }))).warnings).toEqual([]);
  });

  it('derives brats_mri_segmentation: 4 named input channels, no numeric spatial shape, the torch.where Lambdad', async () => {
    const spec = await readBundle(copyZooBundle('brats_mri_segmentation'));
    expect(spec.input).toEqual({ channels: 4, channelNames: ['T1c', 'T1', 'T2', 'FLAIR'] });
    expect(spec.preprocessing).toEqual([{ kind: 'NormalizeIntensityd', nonzero: true, channelWise: true, subtrahend: null, divisor: null }]);
    expect(spec.inferer.roiSize).toEqual([240, 240, 160]);
    expect(spec.postprocessing).toEqual([
      { kind: 'Activationsd', softmax: false, sigmoid: true },
      { kind: 'Invertd', nearestInterp: false },
      { kind: 'AsDiscreted', argmax: false, threshold: 0.5 },
      expect.objectContaining({ kind: 'Lambdad', source: 'lambda x: torch.where(x[[2]] > 0, 4, torch.where(x[[0]] > 0, 1, torch.where(x[[1]] > 0, 2, 0)))' }),
    ]);
  });
});

describe('readBundle on malformed bundles', () => {
  const good = inference([transform('Spacingd', { pixdim: [1, 1, 1] })]);

  it('needs the folder, metadata.json, an inference config and models/model.onnx', async () => {
    await expectError(readBundle(join(tmpdir(), 'no-such-axial-bundle')), 'MODEL_NOT_FOUND', /no bundle folder/);
    await expectError(readBundle(makeBundle({ inference: good })), 'MODEL_INVALID', /metadata\.json: not a MONAI bundle/);
    await expectError(readBundle(makeBundle({ metadata })), 'MODEL_INVALID', /no configs\/inference\.json or configs\/inference\.yaml/);
    const noModel = makeBundle({ metadata, inference: good, model: false });
    await expectError(readBundle(noModel), 'MODEL_NOT_FOUND', new RegExp(`${join(noModel, 'models', 'model.onnx')}: the bundle has no ONNX model`));
  });

  it('says which file is not valid JSON or YAML', async () => {
    await expectError(readBundle(makeBundle({ metadata: '{"name": ', inference: good })), 'MODEL_INVALID', /metadata\.json: not valid JSON/);
    await expectError(readBundle(makeBundle({ metadata, inference: '{"preprocessing": [}' })), 'MODEL_INVALID', /inference\.json: not valid JSON/);
    await expectError(
      readBundle(makeBundle({ metadata, inference: 'a: [1, 2\nb: :', inferenceName: 'inference.yaml' })),
      'MODEL_INVALID',
      /inference\.yaml: not valid YAML/,
    );
    await expectError(readBundle(makeBundle({ metadata, inference: '[1, 2]' })), 'MODEL_INVALID', /not a mapping/);
  });

  it('lists each problem with the network description by its path', async () => {
    const bad = { network_data_format: { inputs: {}, outputs: { pred: { num_channels: 'two', channel_def: { zero: 'background' } } } } };
    const error = (await readBundle(makeBundle({ metadata: bad, inference: good })).then(
      () => undefined,
      (e: unknown) => e,
    )) as AxialError;
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(/network_data_format\.inputs: network_data_format declares no inputs/);
    expect(error.message).toMatch(/network_data_format\.outputs\.pred\.num_channels: /);
    expect(error.message).toMatch(/network_data_format\.outputs\.pred\.channel_def\.zero: /);
  });

  it('refuses a reference cycle and an unknown @reference, naming them', async () => {
    const cycle = inference([transform('Spacingd', { pixdim: '@pixdim' })], { pixdim: '$@spacing * 1', spacing: '@pixdim' });
    await expectError(
      readBundle(makeBundle({ metadata, inference: cycle })),
      'MODEL_INVALID',
      /inference\.json: reference cycle: @pixdim → @spacing → @pixdim/,
    );
    const unknown = inference([transform('Spacingd', { pixdim: '@target_spacing' })]);
    await expectError(
      readBundle(makeBundle({ metadata, inference: unknown })),
      'MODEL_INVALID',
      /unknown reference @target_spacing \(used at preprocessing#transforms#0#pixdim\)/,
    );
  });

  it('names each transform or setting it cannot run, and why', async () => {
    const config = inference(
      [
        transform('monai.transforms.RandFlipd', { prob: 0.5 }),
        transform('Resized', { spatial_size: [96, 96, 96] }),
        transform('Spacingd', { pixdim: [1, 1, 1], align_corners: true }),
        transform('Orientationd', { as_closest_canonical: true }),
        transform('Spacingd', { pixdim: '$[s * 2 for s in @base]' }),
        transform('scripts.transforms.MyCrop'),
        transform('NormalizeIntensityd', { nonzero: true, unknown_arg: 1 }),
        { _target_: 'RandFlipd', keys: 'label' },
      ],
      { base: [1, 1, 1] },
    );
    const spec = await readBundle(makeBundle({ metadata, inference: config }));
    expect(unsupportedOf(spec)).toEqual([
      'preprocessing.transforms[0] RandFlipd: a random transform has no place in inference',
      'preprocessing.transforms[1] Resized: Axial does not run Resized',
      "preprocessing.transforms[2] Spacingd: align_corners true is not supported (MONAI's default is false)",
      'preprocessing.transforms[3] Orientationd: as_closest_canonical true is not supported: ' +
        "Axial reorients to the named axcodes only (MONAI's default is false)",
      'preprocessing.transforms[4] Spacingd: pixdim is the Python expression "$[s * 2 for s in @base]" (at preprocessing#transforms#4#pixdim), ' +
        'which Axial does not evaluate: the name "s" is outside the subset Axial evaluates',
      'preprocessing.transforms[5] scripts.transforms.MyCrop: a custom transform (scripts.transforms.MyCrop) that Axial cannot run',
      'preprocessing.transforms[6] NormalizeIntensityd: argument unknown_arg=1 is not supported',
    ]);
    expect(spec.ignored).toContain('RandFlipd (preprocessing.transforms[7], keys label do not include "image")');
  });

  it('names a spatial transform after a later one (Spacingd before Orientationd), which Axial cannot invert', async () => {
    const config = inference([
      transform('Spacingd', { pixdim: [1, 1, 1] }),
      transform('Orientationd', { axcodes: 'RAS' }),
      transform('CropForegroundd', { source_key: 'image' }),
      transform('Spacingd', { pixdim: [2, 2, 2] }),
    ]);
    const spec = await readBundle(makeBundle({ metadata, inference: config }));
    const reason = 'after a later spatial transform: Axial inverts Orientationd → Spacingd → crops in that order only';
    expect(unsupportedOf(spec)).toEqual([`preprocessing.transforms[1] Orientationd: ${reason}`, `preprocessing.transforms[3] Spacingd: ${reason}`]);
  });

  it('reports postprocessing and inferer settings it cannot run', async () => {
    const config = inference([], {
      inferer: { _target_: 'SlidingWindowInferer', roi_size: [64, 64, 32], overlap: [0.5, 0.25, 0.5] },
      postprocessing: [
        { _target_: 'Activationsd', keys: 'pred', softmax: true, other: '$lambda x: x' },
        { _target_: 'Invertd', keys: 'pred', transform: '@inferer', orig_keys: 'image' },
        { _target_: 'Lambdad', keys: 'pred', func: '$lambda x: x' },
      ],
    });
    const spec = await readBundle(makeBundle({ metadata, inference: config }));
    expect(spec.unsupported.map((u) => `${u.path} ${u.name}`)).toEqual([
      'inferer SlidingWindowInferer',
      'postprocessing[0] Activationsd',
      'postprocessing[1] Invertd',
      'postprocessing[2] Lambdad',
    ]);
    expect(spec.unsupported[0]!.reason).toMatch(/overlap differs between axes/);
    expect(spec.inferer.roiSize).toEqual([0, 0, 0]);
  });

  it('reports a missing inferer, and takes SimpleInferer as one window the size of the image', async () => {
    const missing = await readBundle(makeBundle({ metadata, inference: inference([], { inferer: undefined }) }));
    expect(unsupportedOf(missing)).toEqual(['inferer inferer: the config has no inferer']);
    const simple = await readBundle(makeBundle({ metadata, inference: inference([], { inferer: { _target_: 'monai.inferers.SimpleInferer' } }) }));
    expect(simple.unsupported).toEqual([]);
    expect(simple.inferer).toEqual({
      roiSize: [0, 0, 0],
      swBatchSize: 1,
      overlap: 0.25,
      mode: 'constant',
      sigmaScale: 0.125,
      paddingMode: 'constant',
      cval: 0,
    });
  });
});

describe('readBundle with MONAI defaults', () => {
  it("reads a padding mode given per key (MONAI's ensure_tuple_rep) for one key, and names one Axial does not run", async () => {
    const config = inference([
      transform('CropForegroundd', { source_key: 'image', mode: ['minimum'] }),
      transform('CropForegroundd', { source_key: 'image', mode: 'linear_ramp' }),
    ]);
    const spec = await readBundle(makeBundle({ metadata, inference: config }));
    expect(spec.preprocessing).toEqual([{ kind: 'CropForegroundd', threshold: 0, margin: [0, 0, 0], allowSmaller: false, padMode: 'minimum' }]);
    expect(spec.unsupported.map((u) => u.reason)).toEqual([
      'mode "linear_ramp" is not a padding mode Axial runs (constant, edge, replicate, reflect, symmetric, wrap, circular, minimum, maximum, mean, median)',
    ]);
  });

  it('fills every left-out argument with MONAI default', async () => {
    const config = inference(
      [
        transform('Spacingd', { pixdim: 2 }),
        transform('ScaleIntensityRanged', { a_min: -1000, a_max: 1000 }),
        transform('ScaleIntensityRangePercentilesd', { lower: 1, upper: 99, b_min: 0, b_max: 1 }),
        transform('ScaleIntensityd'),
        transform('NormalizeIntensityd'),
        transform('ResizeWithPadOrCropd', { spatial_size: 128 }),
        transform('CropForegroundd', { source_key: 'image' }),
        transform('CropForegroundd', { source_key: 'image', select_fn: '$lambda x: x > -500', margin: [2, 2, 0] }),
        transform('ResizeWithPadOrCropd', { spatial_size: 64, mode: 'replicate' }),
        transform('CropForegroundd', { source_key: 'image', margin: 10, allow_smaller: true, mode: ['circular'] }),
      ],
      {
        inferer: { _target_: 'SlidingWindowInferer', roi_size: 96 },
        postprocessing: [
          { _target_: 'Activationsd', keys: ['pred', 'label'], softmax: [true, false] },
          { _target_: 'Invertd', keys: 'pred', transform: '@preprocessing', orig_keys: '@image_key' },
          { _target_: 'AsDiscreted', keys: 'pred' },
          { _target_: 'KeepLargestConnectedComponentd', keys: 'pred', applied_labels: 1 },
        ],
      },
    );
    const spec = await readBundle(makeBundle({ metadata, inference: config }));
    expect(spec.unsupported).toEqual([]);
    expect(spec.preprocessing).toEqual([
      { kind: 'Spacingd', pixdim: [2, 2, 2], mode: 'bilinear' },
      { kind: 'ScaleIntensityRanged', aMin: -1000, aMax: 1000, bMin: null, bMax: null, clip: false },
      { kind: 'ScaleIntensityRangePercentilesd', lower: 1, upper: 99, bMin: 0, bMax: 1, clip: false, relative: false },
      { kind: 'ScaleIntensityd', minv: 0, maxv: 1, factor: null },
      { kind: 'NormalizeIntensityd', nonzero: false, channelWise: false, subtrahend: null, divisor: null },
      { kind: 'ResizeWithPadOrCropd', spatialSize: [128, 128, 128], padValue: 0, padMode: 'constant' },
      { kind: 'CropForegroundd', threshold: 0, margin: [0, 0, 0], allowSmaller: false, padMode: 'constant' },
      { kind: 'CropForegroundd', threshold: -500, margin: [2, 2, 0], allowSmaller: false, padMode: 'constant' },
      // torch's names, as MONAI's convert_pad_mode maps them
      { kind: 'ResizeWithPadOrCropd', spatialSize: [64, 64, 64], padValue: 0, padMode: 'edge' },
      { kind: 'CropForegroundd', threshold: 0, margin: [10, 10, 10], allowSmaller: true, padMode: 'wrap' },
    ]);
    expect(spec.inferer).toEqual({
      roiSize: [96, 96, 96],
      swBatchSize: 1,
      overlap: 0.25,
      mode: 'constant',
      sigmaScale: 0.125,
      paddingMode: 'constant',
      cval: 0,
    });
    expect(spec.postprocessing).toEqual([
      { kind: 'Activationsd', softmax: true, sigmoid: false },
      { kind: 'Invertd', nearestInterp: true },
      { kind: 'AsDiscreted', argmax: false, threshold: null },
      { kind: 'KeepLargestConnectedComponentd', appliedLabels: [1], independent: true, connectivity: 3 },
    ]);
    expect(spec.input.spatialShape).toEqual([64, 64, 32]);
  });

  it('lets network_def override metadata channels, with a warning', async () => {
    const config = inference([], { network_def: { _target_: 'UNet', in_channels: 1, out_channels: '$@classes + 1' }, classes: 2 });
    const spec = await readBundle(makeBundle({ metadata, inference: config }));
    expect(spec.output.channels).toBe(3);
    expect(spec.warnings).toEqual([
      "metadata.json declares 2 output channels but inference's network_def has 3; using 3, which is what MONAI runs",
      'the output has 3 channels but metadata.json names 2 labels',
    ]);
  });

  it('reads a %file#key macro from another config in the bundle, and reports one it cannot', async () => {
    const config = inference([
      transform('Spacingd', { pixdim: '%configs/common.json#spacing' }),
      transform('ScaleIntensityd', { minv: '%elsewhere.json#minv' }),
    ]);
    const folder = makeBundle({ metadata, inference: config, other: { 'configs/common.json': { spacing: [0.8, 0.8, 3] } } });
    const spec = await readBundle(folder);
    expect(spec.preprocessing).toEqual([{ kind: 'Spacingd', pixdim: [0.8, 0.8, 3], mode: 'bilinear' }]);
    expect(unsupportedOf(spec)).toEqual([
      'preprocessing.transforms[1] ScaleIntensityd: minv is the macro "%elsewhere.json#minv" (at preprocessing#transforms#1#minv), ' +
        'which Axial cannot read: another config file (elsewhere.json) is not read',
    ]);
  });

  it('follows a macro through a symlink that stays inside the bundle, and a macro under configs/ written without it', async () => {
    const config = inference([
      transform('Spacingd', { pixdim: '%configs/linked.json#spacing' }),
      transform('ScaleIntensityd', { minv: '%common.json#minv', maxv: 1 }),
    ]);
    const folder = makeBundle({ metadata, inference: config, other: { 'configs/common.json': { spacing: [0.8, 0.8, 3], minv: -1 } } });
    symlinkSync(join(folder, 'configs', 'common.json'), join(folder, 'configs', 'linked.json'));
    const spec = await readBundle(folder);
    expect(spec.preprocessing).toEqual([
      { kind: 'Spacingd', pixdim: [0.8, 0.8, 3], mode: 'bilinear' },
      { kind: 'ScaleIntensityd', minv: -1, maxv: 1, factor: null },
    ]);
  });

  it('refuses a macro file outside the bundle (through ../ or a symlink), naming the macro', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'axial-outside-'));
    writeFileSync(join(outside, 'common.json'), JSON.stringify({ spacing: [1, 1, 1] }));
    const climbing = makeBundle({ metadata, inference: inference([transform('Spacingd', { pixdim: `%../${basename(outside)}/common.json#spacing` })]) });
    await expectError(
      readBundle(climbing),
      'INPUT_PATH_OUTSIDE_FOLDER',
      /macro "%\.\.\/axial-outside-\w+\/common\.json#spacing" \(at preprocessing#transforms#0#pixdim\): file/,
    );
    const linked = makeBundle({ metadata, inference: inference([transform('Spacingd', { pixdim: '%configs/common.json#spacing' })]) });
    symlinkSync(join(outside, 'common.json'), join(linked, 'configs', 'common.json'));
    await expectError(readBundle(linked), 'INPUT_PATH_OUTSIDE_FOLDER', /resolves to .*axial-outside-\w+\/common\.json, outside the folder/);
  });

  it('refuses a config larger than 1 MiB before parsing it', async () => {
    const folder = makeBundle({ metadata, inference: inference([]) });
    writeFileSync(join(folder, 'configs', 'inference.json'), Buffer.alloc(1.5 * 2 ** 20, 32));
    await expectError(readBundle(folder, { configsOnly: true }), 'MODEL_INVALID', /a config of 1\.5 MiB; Axial reads configs up to 1 MiB/);
  });
});
