import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runBundleInspect } from '../../../main/cli/runBundleInspect.js';

/** The model zoo's 3D CT/MR segmentation bundles' configs (tests/fixtures/monai-zoo-configs/README.md says where from). */
const zoo = join(import.meta.dirname, '..', '..', 'fixtures', 'monai-zoo-configs');

/**
 * What each bundle lacks, as `path name` of every unsupported item (none: its configs are all supported). A change
 * here is a change in what Axial runs: update bench-results/zoo-inspect.md with it. The fixtures hold the configs
 * only, so none is runnable as it is: each lacks its models/model.onnx, which inspect reports as MODEL_NOT_FOUND
 * where nothing else stops it (MODEL_UNSUPPORTED first).
 */
const expected: Readonly<Record<string, readonly string[]>> = {
  spleen_ct_segmentation: [],
  wholeBody_ct_segmentation: [],
  multi_organ_segmentation: [],
  pancreas_ct_dints_segmentation: [],
  prostate_mri_anatomy: [],
  renalStructures_UNEST_segmentation: [],
  swin_unetr_btcv_segmentation: [],
  pediatric_abdominal_ct_segmentation: [],
  wholeBrainSeg_Large_UNEST_segmentation: [],
  segmentation_template: [],
  spleen_deepedit_annotation: [],
  brats_mri_segmentation: [],
  ventricular_short_axis_3label: [],
  renalStructures_CECT_segmentation: [
    'preprocessing.transforms[4] scripts.my_transforms.ConcatImages',
    'postprocessing.transforms[0] Invertd',
    'postprocessing.transforms[3] scripts.my_transforms.MergeClassesd',
  ],
  vista3d: [
    'preprocessing.transforms[5] VistaPreTransformd',
    // Its Orientationd comes after its Spacingd and crop: MONAI's inverse would undo them in another order than Axial's.
    'preprocessing.transforms[7] Orientationd',
    'inferer scripts.inferer.Vista3dInferer',
    'postprocessing.transforms[1] VistaPostTransformd',
    'postprocessing.transforms[2] Invertd',
    'postprocessing.transforms[3] Lambdad',
  ],
};

interface InspectJson {
  modelFound: boolean;
  runnable: boolean;
  unsupported: { path: string; name: string; reason: string }[];
  warnings: string[];
}

describe('axial bundle inspect on the model zoo 3D segmentation configs', () => {
  it('has a fixture for every bundle listed, and lists every fixture', () => {
    const folders = readdirSync(zoo, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [bundle, lacks] of Object.entries(expected)) {
    it(`${bundle}: ${lacks.length === 0 ? 'configs supported' : `lacks ${lacks.length}`}`, async () => {
      const io = captureIo();
      const code = await runBundleInspect(join(zoo, bundle), true, io);
      const json = JSON.parse(io.outLines.join('\n')) as InspectJson;
      expect(json.unsupported.map((u) => `${u.path} ${u.name}`)).toEqual(lacks);
      // Configs only: the one expected warning about the missing model, never a thrown error; not runnable without it.
      expect(json.warnings).toContain('no models/model.onnx yet: only the configs were checked');
      expect([json.modelFound, json.runnable, code]).toEqual([false, false, 1]);
      expect(io.errLines).toHaveLength(1);
      const why = lacks.length === 0 ? 'MODEL_NOT_FOUND: .*: the bundle has no ONNX model \\(models/model\\.onnx\\)' : 'MODEL_UNSUPPORTED: ';
      expect(io.errLines[0]).toMatch(new RegExp(`^axial: error ${why}`));
    });
  }

  it('says why for the bundles the issue names', async () => {
    const reasons = async (bundle: string): Promise<string[]> => {
      const io = captureIo();
      await runBundleInspect(join(zoo, bundle), true, io);
      return (JSON.parse(io.outLines.join('\n')) as InspectJson).unsupported.map((u) => u.reason);
    };
    const vista = await reasons('vista3d');
    expect(vista[0]).toBe('Axial does not run VistaPreTransformd');
    // Its Lambdad is torch.nan_to_num: outside the torch.where subset, and named.
    expect(vista[5]).toBe('"$lambda x: torch.nan_to_num(x, nan=255)": torch.nan_to_num is outside what Axial evaluates (torch.where only)');
  });

  it("reads brats_mri_segmentation's four named input channels and its torch.where Lambdad", async () => {
    const io = captureIo();
    await runBundleInspect(join(zoo, 'brats_mri_segmentation'), true, io);
    const brats = JSON.parse(io.outLines.join('\n')) as { input: { channels: number; channelNames: string[] }; postprocessing: unknown[] };
    expect(brats.input).toMatchObject({ channels: 4, channelNames: ['T1c', 'T1', 'T2', 'FLAIR'] });
    const lambda = brats.postprocessing.at(-1) as { kind: string; expression: unknown };
    const where = (channel: number, label: number, otherwise: unknown) => ({
      kind: 'where',
      condition: { kind: 'compare', op: '>', left: { kind: 'channel', index: channel }, right: { kind: 'literal', value: 0 } },
      whenTrue: { kind: 'literal', value: label },
      whenFalse: otherwise,
    });
    expect(lambda.kind).toBe('Lambdad');
    expect(lambda.expression).toEqual(where(2, 4, where(0, 1, where(1, 2, { kind: 'literal', value: 0 }))));
  });

  it('reads pediatric_abdominal_ct\'s CropForegroundd mode [minimum] and wholeBrainSeg\'s "True" strings as MONAI does', async () => {
    const inspect = async (bundle: string) => {
      const io = captureIo();
      await runBundleInspect(join(zoo, bundle), true, io);
      return JSON.parse(io.outLines.join('\n')) as { preprocessing: { kind: string }[]; output: { labels: unknown[] } };
    };
    const pediatric = await inspect('pediatric_abdominal_ct_segmentation');
    // Its labels are under label_def, not channel_def.
    expect(pediatric.output.labels).toEqual([
      { value: 0, name: 'background' },
      { value: 1, name: 'liver' },
      { value: 2, name: 'spleen' },
      { value: 3, name: 'pancreas' },
    ]);
    expect(pediatric.preprocessing.map((s) => s.kind)).toEqual(['Orientationd', 'Spacingd', 'ScaleIntensityRanged', 'CropForegroundd']);
    expect((await inspect('wholeBrainSeg_Large_UNEST_segmentation')).preprocessing).toContainEqual({
      kind: 'NormalizeIntensityd',
      nonzero: true,
      channelWise: true,
      subtrahend: null,
      divisor: null,
    });
  });
});
