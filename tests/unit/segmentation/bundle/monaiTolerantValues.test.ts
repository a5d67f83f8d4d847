import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelSpec, PreprocessingStep } from '../../../../main/segmentation/ModelSpec.js';
import { readBundle } from '../../../../main/segmentation/bundle/readBundle.js';
import { readConfigFile } from '../../../../main/segmentation/bundle/readConfigFile.js';

const metadata = {
  name: 'Tolerant values',
  network_data_format: {
    inputs: { image: { num_channels: 1 } },
    outputs: { pred: { num_channels: 2, channel_def: { '0': 'background', '1': 'organ' } } },
  },
};

/** A generated bundle folder (configs only) whose preprocessing is one NormalizeIntensityd and whose postprocessing is given. */
function bundleWith(normalize: Record<string, unknown>, postprocessing: unknown[] = [{ _target_: 'AsDiscreted', keys: 'pred', argmax: true }]): string {
  const folder = mkdtempSync(join(tmpdir(), 'axial-tolerant-'));
  mkdirSync(join(folder, 'configs'));
  writeFileSync(join(folder, 'configs', 'metadata.json'), JSON.stringify(metadata));
  const inference = {
    preprocessing: { _target_: 'Compose', transforms: [{ _target_: 'NormalizeIntensityd', keys: 'image', ...normalize }] },
    inferer: { _target_: 'SimpleInferer' },
    postprocessing: { _target_: 'Compose', transforms: postprocessing },
  };
  writeFileSync(join(folder, 'configs', 'inference.json'), JSON.stringify(inference));
  return folder;
}

const truthWarning = (path: string, name: string, key: string, written: string): string =>
  `${name} (${path}): ${key} is the string ${JSON.stringify(written)}, ` +
  'which MONAI passes as it is and Python reads as true (a non-empty string); Axial does the same';

const normalizeStep = (spec: ModelSpec): Extract<PreprocessingStep, { kind: 'NormalizeIntensityd' }> => {
  const step = spec.preprocessing[0];
  if (step?.kind !== 'NormalizeIntensityd') throw new Error(`no NormalizeIntensityd step: ${JSON.stringify(spec.preprocessing)}`);
  return step;
};

describe('flags as MONAI reads them: passed unconverted, tested by Python truthiness', () => {
  // MONAI's ConfigComponent.resolve_args passes values as written; NormalizeIntensity tests `if self.nonzero:`.
  const cases: [unknown, boolean, boolean][] = [
    ['True', true, false],
    ['true', true, false],
    ['False', true, true],
    ['0', true, true],
    ['no', true, true],
    ['', false, false],
    [1, true, false],
    [0, false, false],
    [null, false, false],
    [[0], true, false],
    [[], false, false],
  ];
  for (const [written, read, warned] of cases) {
    it(`nonzero ${JSON.stringify(written)} is read as ${read}${warned ? ', with a warning naming the key' : ''}`, async () => {
      const spec = await readBundle(bundleWith({ nonzero: written }), { configsOnly: true });
      expect(spec.unsupported).toEqual([]);
      expect(normalizeStep(spec).nonzero).toBe(read);
      const warnings = spec.warnings.filter((w) => w.includes('Python reads as true'));
      expect(warnings).toEqual(warned ? [truthWarning('preprocessing.transforms[0]', 'NormalizeIntensityd', 'nonzero', written as string)] : []);
    });
  }

  it('reads wholeBrainSeg_Large_UNEST\'s "nonzero": "True", "channel_wise": "True" as true, without a warning', async () => {
    const spec = await readBundle(bundleWith({ nonzero: 'True', channel_wise: 'True' }), { configsOnly: true });
    expect(normalizeStep(spec)).toMatchObject({ nonzero: true, channelWise: true });
    expect(spec.warnings.filter((w) => w.includes('NormalizeIntensityd'))).toEqual([]);
  });

  it('reads postprocessing flags the same way (Activationsd softmax "False" is a softmax in MONAI)', async () => {
    const spec = await readBundle(
      bundleWith({}, [
        { _target_: 'Activationsd', keys: 'pred', softmax: 'False' },
        { _target_: 'AsDiscreted', keys: 'pred', argmax: 'True' },
      ]),
      { configsOnly: true },
    );
    expect(spec.unsupported).toEqual([]);
    expect(spec.postprocessing).toEqual([
      { kind: 'Activationsd', softmax: true, sigmoid: false },
      { kind: 'AsDiscreted', argmax: true, threshold: null },
    ]);
    expect(spec.warnings).toContain(truthWarning('postprocessing.transforms[0]', 'Activationsd', 'softmax', 'False'));
  });

  it('takes a flag Axial supports only off when it is falsy as Python reads it, and names it when MONAI reads it as true', async () => {
    const folder = bundleWith({});
    const inference = {
      preprocessing: [
        { _target_: 'Orientationd', keys: 'image', axcodes: 'RAS', as_closest_canonical: 0 },
        { _target_: 'ScaleIntensityd', keys: 'image' },
        { _target_: 'Orientationd', keys: 'image', axcodes: 'RAS', as_closest_canonical: 'False' },
      ],
      inferer: { _target_: 'SimpleInferer' },
      postprocessing: [{ _target_: 'AsDiscreted', keys: 'pred', argmax: true }],
    };
    writeFileSync(join(folder, 'configs', 'inference.json'), JSON.stringify(inference));
    const spec = await readBundle(folder, { configsOnly: true });
    expect(spec.preprocessing.map((s) => s.kind)).toEqual(['Orientationd', 'ScaleIntensityd']);
    expect(spec.unsupported).toEqual([
      {
        path: 'preprocessing[2]',
        name: 'Orientationd',
        reason:
          'as_closest_canonical "False", which MONAI reads as true, is not supported: ' +
          "Axial reorients to the named axcodes only (MONAI's default is false)",
      },
    ]);
  });

  it('reads channel_wise on ScaleIntensityd and ScaleIntensityRangePercentilesd (per-channel statistics of a multi-channel input)', async () => {
    const folder = bundleWith({});
    const inference = {
      preprocessing: [
        { _target_: 'ScaleIntensityd', keys: 'image', channel_wise: 'True' },
        { _target_: 'ScaleIntensityRangePercentilesd', keys: 'image', lower: 1, upper: 99, b_min: 0, b_max: 1, channel_wise: true },
        { _target_: 'ScaleIntensityd', keys: 'image', channel_wise: false },
      ],
      inferer: { _target_: 'SimpleInferer' },
      postprocessing: [{ _target_: 'AsDiscreted', keys: 'pred', argmax: true }],
    };
    writeFileSync(join(folder, 'configs', 'inference.json'), JSON.stringify(inference));
    const spec = await readBundle(folder, { configsOnly: true });
    expect(spec.unsupported).toEqual([]);
    expect(spec.preprocessing.map((s) => ('channelWise' in s ? s.channelWise : undefined))).toEqual([true, true, undefined]);
  });

  it('names a number written as a string: MONAI does not convert it either, and the transform fails on it', async () => {
    const spec = await readBundle(bundleWith({ subtrahend: '100' }), { configsOnly: true });
    expect(spec.unsupported).toEqual([
      {
        path: 'preprocessing.transforms[0]',
        name: 'NormalizeIntensityd',
        reason: 'subtrahend must be a number or None, got "100" (MONAI passes a number written as a string unconverted, and the transform fails on it)',
      },
    ]);
  });
});

describe("YAML configs are read as PyYAML (MONAI's loader) reads them", () => {
  const yaml = [
    'yes_: yes',
    'no_: no',
    'On_: On',
    'off_: OFF',
    'y: y',
    'n: n',
    'True_: True',
    'false_: false',
    'exp_nodot: 1e-4',
    'exp_unsigned: 1.0e3',
    'exp_signed: 1.0e-3',
    'dot_first: .5',
    'trailing_dot: 3.',
    'neg_dot: -.5',
    'octal: 017',
    'leading_zero_nine: 09',
    'underscores: 1_000',
    'hex: 0x1F',
    'sexagesimal: 1:20',
    'inf: .inf',
    'tilde: ~',
    'date: 2024-01-31',
    'quoted: "True"',
  ].join('\n');

  it('resolves booleans, numbers and strings exactly as /usr/bin/python3 yaml.safe_load does', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-pyyaml-'));
    const file = join(folder, 'inference.yaml');
    writeFileSync(file, yaml);
    const ours = await readConfigFile(file);
    // Python's JSON writes inf as Infinity (not JSON) and a date through str(), so both are respelled for the comparison.
    const script = [
      'import sys, yaml, json',
      'd = yaml.safe_load(open(sys.argv[1]))',
      'print(json.dumps({k: (str(v) if type(v).__name__ == "date" else v) for k, v in d.items()}))',
    ].join('\n');
    const python = execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }).trim().replace('Infinity', '"INF"');
    const theirs = JSON.parse(python) as Record<string, unknown>;
    theirs.inf = Infinity;
    expect(ours).toEqual(theirs);
    // The values that differ from YAML 1.2's reading (the `yaml` package's default), spelled out:
    expect(ours).toMatchObject({ yes_: true, no_: false, off_: false, y: 'y', n: 'n', exp_nodot: '1e-4', exp_unsigned: '1.0e3', leading_zero_nine: '09' });
  });
});
