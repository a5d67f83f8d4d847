import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/CliIo.js';
import { runBundleInspect } from '../../../main/cli/runBundleInspect.js';

/** The model zoo's 3D CT/MR segmentation bundles' configs (tests/fixtures/monai-zoo-configs/README.md says where from). */
const zoo = join(import.meta.dirname, '..', '..', 'fixtures', 'monai-zoo-configs');

/**
 * What each bundle lacks, as `path name` of every unsupported item (none: runnable). A change here is a change in
 * what Axial runs: update bench-results/zoo-inspect.md with it.
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
  brats_mri_segmentation: ['postprocessing.transforms[3] Lambdad', 'network_data_format.inputs num_channels'],
  ventricular_short_axis_3label: ['inferer SliceInferer'],
  renalStructures_CECT_segmentation: [
    'preprocessing.transforms[4] scripts.my_transforms.ConcatImages',
    'postprocessing.transforms[0] Invertd',
    'postprocessing.transforms[3] scripts.my_transforms.MergeClassesd',
    'network_data_format.inputs num_channels',
  ],
  vista3d: [
    'preprocessing.transforms[5] VistaPreTransformd',
    'inferer scripts.inferer.Vista3dInferer',
    'postprocessing.transforms[1] VistaPostTransformd',
    'postprocessing.transforms[2] Invertd',
    'postprocessing.transforms[3] Lambdad',
  ],
};

function captureIo(): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l) };
}

interface InspectJson {
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
    it(`${bundle}: ${lacks.length === 0 ? 'runnable' : `lacks ${lacks.length}`}`, async () => {
      const io = captureIo();
      const code = await runBundleInspect(join(zoo, bundle), true, io);
      const json = JSON.parse(io.outLines.join('\n')) as InspectJson;
      expect(json.unsupported.map((u) => `${u.path} ${u.name}`)).toEqual(lacks);
      expect(json.runnable).toBe(lacks.length === 0);
      expect(code).toBe(lacks.length === 0 ? 0 : 1);
      // Configs only: the one expected warning about the missing model, never a thrown error.
      expect(json.warnings).toContain('no models/model.onnx yet: only the configs were checked');
      expect(io.errLines).toHaveLength(lacks.length === 0 ? 0 : 1);
    });
  }

  it('says why for the bundles the issue names', async () => {
    const reasons = async (bundle: string): Promise<string[]> => {
      const io = captureIo();
      await runBundleInspect(join(zoo, bundle), true, io);
      return (JSON.parse(io.outLines.join('\n')) as InspectJson).unsupported.map((u) => u.reason);
    };
    expect(await reasons('brats_mri_segmentation')).toEqual(['it runs arbitrary Python code', '4 input channels; Axial runs single-image models']);
    expect(await reasons('ventricular_short_axis_3label')).toEqual(['Axial runs SlidingWindowInferer and SimpleInferer only']);
    expect((await reasons('vista3d'))[0]).toBe('Axial does not run VistaPreTransformd');
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
