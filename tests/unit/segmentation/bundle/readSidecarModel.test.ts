import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { readSidecarModel } from '../../../../main/segmentation/bundle/readSidecarModel.js';
import { orientationCode } from '../../../../main/volume/volumeTransforms.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';
import { repoRoot } from '../../../repoRoot.js';

const fixture = join(repoRoot, 'tests', 'fixtures', 'meshnet-brain.axial.json');
const meshnet = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;

/** A placeholder model and a sidecar (object → JSON, string as is) in a fresh tmp folder. */
function makeModel(sidecar: unknown): { model: string; sidecar: string } {
  const folder = mkdtempSync(join(tmpdir(), 'axial-sidecar-'));
  const model = join(folder, 'model.onnx');
  writeFileSync(model, '');
  const sidecarPath = join(folder, 'model.axial.json');
  writeFileSync(sidecarPath, typeof sidecar === 'string' ? sidecar : JSON.stringify(sidecar));
  return { model, sidecar: sidecarPath };
}

async function invalid(sidecar: unknown): Promise<AxialError> {
  const { model } = makeModel(sidecar);
  const error = await readSidecarModel(model).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AxialError);
  expect((error as AxialError).code).toBe('MODEL_INVALID');
  return error as AxialError;
}

describe.skipIf(!hasSharedData)(`readSidecarModel on the real MeshNet model (${noSharedDataReason})`, () => {
  it('reads tests/fixtures/meshnet-brain.axial.json into the MeshNet pipeline', async () => {
    const model = sharedData('models/meshnet-brain/model.onnx');
    const spec = await readSidecarModel(model, fixture);
    expect(spec.source).toBe('sidecar');
    expect(spec.modelPath).toBe(model);
    expect(spec.input).toEqual({ channels: 1, spatialShape: [256, 256, 256] });
    expect(spec.output).toEqual({
      channels: 3,
      labels: [
        { value: 0, name: 'background' },
        { value: 1, name: 'white matter' },
        { value: 2, name: 'grey matter' },
      ],
    });
    expect(spec.preprocessing).toEqual([
      { kind: 'Orientationd', axcodes: 'LIA' },
      { kind: 'Spacingd', pixdim: [1, 1, 1], mode: 'bilinear' },
      { kind: 'ResizeWithPadOrCropd', spatialSize: [256, 256, 256], padValue: 0, padMode: 'constant' },
      { kind: 'ScaleIntensityd', minv: 0, maxv: 1, factor: null },
    ]);
    expect(spec.inferer).toEqual({
      roiSize: [256, 256, 256],
      swBatchSize: 1,
      overlap: 0.25,
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
    expect(spec.unsupported).toEqual([]);
    expect(spec.ignored).toEqual([]);
    expect(spec.warnings).toEqual([]);
  });

  it('matches the model folder: three classes as in colormap3.json, LIA like the T1 it was shown on', async () => {
    const colormap = JSON.parse(readFileSync(sharedData('models/meshnet-brain/colormap3.json'), 'utf8')) as { labels: string[] };
    expect(colormap.labels.map((l) => l.toLowerCase())).toEqual(['background', 'white matter', 'grey matter']);
    const { volume } = await readNifti(sharedData('models/meshnet-brain/t1_crop.nii.gz'));
    expect(orientationCode(volume)).toBe('LIA');
    expect(volume.dimensions).toEqual([256, 256, 256]);
  });
});

describe('readSidecarModel on invalid sidecars', () => {
  it('needs the model file', async () => {
    const missing = join(tmpdir(), 'no-such-axial-model.onnx');
    await expect(readSidecarModel(missing, fixture)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', message: expect.stringContaining(missing) });
  });

  it('refuses a missing or unparsable sidecar', async () => {
    const { model } = makeModel('{');
    await expect(readSidecarModel(model)).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringMatching(/model\.axial\.json: not valid JSON/),
    });
    await expect(readSidecarModel(model, join(tmpdir(), 'nothing.axial.json'))).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });

  it('lists every schema issue with its path', async () => {
    const { input: _input, ...withoutInput } = meshnet;
    const error = await invalid({
      ...withoutInput,
      schemaVersion: 2,
      extra: true,
      output: { channels: 0, labels: { one: 'white matter' } },
      postprocessing: [{ softmax: true }],
    });
    const lines = error.message
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(':')[0]);
    expect(lines.sort()).toEqual(['(top level)', 'input', 'output.channels', 'output.labels.one', 'postprocessing[0]._target_', 'schemaVersion'].sort());
    expect(error.message).toMatch(/\(top level\): .*extra/);
  });

  it('reads a multi-sequence model’s channel names, one per input channel', async () => {
    const input = { channels: 2, channelNames: ['T1', 'FLAIR'] };
    const { model } = makeModel({ ...meshnet, input });
    expect((await readSidecarModel(model)).input).toEqual(input);
    const error = await invalid({ ...meshnet, input: { channels: 3, channelNames: ['T1', 'FLAIR'] } });
    expect(error.message).toMatch(/input\.channelNames: channelNames must name every input channel, one name each/);
  });

  it('refuses references, expressions, macros and keys that Axial fills in', async () => {
    const error = await invalid({
      ...meshnet,
      preprocessing: [
        { _target_: 'Spacingd', pixdim: ['@x', 1, 1] },
        { _target_: 'ScaleIntensityd', keys: 'image', minv: '$0.5 * 2' },
      ],
      postprocessing: [{ _target_: 'Invertd', transform: '%preprocessing' }],
    });
    expect(error.message).toMatch(/preprocessing\[0\]\.pixdim\[0\]: "@x": references \(@\), expressions \(\$\) and macros \(%\) are not read/);
    expect(error.message).toMatch(/preprocessing\[1\]\.keys: leave "keys" out/);
    expect(error.message).toMatch(/preprocessing\[1\]\.minv: "\$0\.5 \* 2"/);
    expect(error.message).toMatch(/postprocessing\[0\]\.transform: leave "transform" out/);
  });

  it('lists transforms Axial cannot run in unsupported, as for bundles', async () => {
    const { model } = makeModel({
      ...meshnet,
      preprocessing: [{ _target_: 'LoadImaged' }, { _target_: 'Spacingd', pixdim: [1, 1, 1], mode: 'bicubic' }, { _target_: 'Zoomd', zoom: 2 }],
      inferer: { _target_: 'SaliencyInferer' },
    });
    const spec = await readSidecarModel(model);
    expect(spec.ignored).toEqual(['LoadImaged (preprocessing[0])']);
    expect(spec.unsupported.map((u) => `${u.path} ${u.name}: ${u.reason}`)).toEqual([
      'preprocessing[1] Spacingd: mode "bicubic" is not supported (Axial runs "bilinear", "nearest")',
      'preprocessing[2] Zoomd: Axial does not run Zoomd',
      'inferer SaliencyInferer: Axial runs SlidingWindowInferer, SliceInferer and SimpleInferer only',
    ]);
  });
});
