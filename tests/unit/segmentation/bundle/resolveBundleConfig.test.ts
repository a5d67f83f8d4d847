import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { OpaqueValue, UnevaluatedExpression, UnresolvedMacro, type BundleValue } from '../../../../main/segmentation/bundle/BundleValue.js';
import { resolveBundleConfig } from '../../../../main/segmentation/bundle/resolveBundleConfig.js';

function resolveOne(config: Record<string, unknown>, id: string, options = {}): BundleValue | undefined {
  return resolveBundleConfig(config, [id], options).get(id);
}

function expectCode(run: () => unknown, code: string, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe(code);
    expect((error as AxialError).message).toMatch(message);
    return;
  }
  expect.fail('expected an AxialError');
}

describe('resolveBundleConfig references', () => {
  const config = {
    image_key: 'image',
    sizes: { roi: [96, 80, 64], batch: 4 },
    nested: { a: { b: ['x', 'y'] } },
    pick: '@sizes#roi#1',
    newSeparator: '@sizes::batch',
    group: { value: 3, sibling: '@#value', parentSibling: '@##image_key', list: [1, '@#0'] },
    email: 'user@example.org',
    deep: '@nested#a#b#1',
  };

  it('follows @name, # paths into maps and lists, :: and relative ids', () => {
    expect(resolveOne(config, 'pick')).toBe(80);
    expect(resolveOne(config, 'newSeparator')).toBe(4);
    expect(resolveOne(config, 'deep')).toBe('y');
    expect(resolveOne(config, 'group')).toEqual({ value: 3, sibling: 3, parentSibling: 'image', list: [1, 1] });
  });

  it('leaves a string that only contains @ alone', () => {
    expect(resolveOne(config, 'email')).toBe('user@example.org');
  });

  it('gives undefined for an id the config does not have', () => {
    expect(resolveBundleConfig(config, ['inferer']).get('inferer')).toBeUndefined();
  });

  it('returns one object for two references to the same id', () => {
    const resolved = resolveBundleConfig({ pre: { t: [1] }, post: { inv: '@pre' } }, ['pre', 'post']);
    expect((resolved.get('post') as { inv: unknown }).inv).toBe(resolved.get('pre'));
  });

  it('names an unknown reference and where it is used', () => {
    expectCode(
      () => resolveOne({ a: { b: '@missing#key' } }, 'a', { file: 'inference.json' }),
      'MODEL_INVALID',
      /unknown reference @missing#key \(used at a#b\)/,
    );
  });

  it('detects cycles: mutual, through a parent, and through expressions', () => {
    expectCode(() => resolveOne({ a: '@b', b: '@a' }, 'a'), 'MODEL_INVALID', /reference cycle: @a → @b → @a/);
    expectCode(() => resolveOne({ a: { x: '@a' } }, 'a'), 'MODEL_INVALID', /reference cycle: @a → @a#x → @a/);
    expectCode(() => resolveOne({ a: '$@b + 1', b: '$@a * 2' }, 'a'), 'MODEL_INVALID', /reference cycle/);
  });

  it('resolves only what is asked for', () => {
    const messy = { preprocessing: { x: '@size' }, size: 2, evaluator: { net: '@nowhere', loop: '@evaluator' } };
    expect(resolveOne(messy, 'preprocessing')).toEqual({ x: 2 });
  });
});

describe('resolveBundleConfig expressions', () => {
  const config = { bundle_root: '.', n: 48, hi: true, lo: false, text: 'a', flag: '$@hi', numbers: [1, 2] };
  const evaluate = (expression: string) => resolveOne({ ...config, x: expression }, 'x');

  it('evaluates numbers, lists, tuples and arithmetic on references', () => {
    expect(evaluate('$@n * 2')).toBe(96);
    expect(evaluate('$(@n - 8) / 4 + -1.5e1')).toBe(-5);
    expect(evaluate('$[1, 2.5, -3,]')).toEqual([1, 2.5, -3]);
    expect(evaluate('$(96, 96, 96)')).toEqual([96, 96, 96]);
    expect(evaluate('$@numbers + [3]')).toEqual([1, 2, 3]);
    expect(evaluate('$None')).toBeNull();
  });

  it("reads MONAI's CommonKeys constants (segmentation_template's keys), and no other dotted name", () => {
    expect(evaluate('$monai.utils.CommonKeys.IMAGE')).toBe('image');
    expect(evaluate('$monai.utils.enums.CommonKeys.PRED')).toBe('pred');
    expect(evaluate('$[monai.utils.CommonKeys.LABEL, "x"]')).toEqual(['label', 'x']);
    expect(evaluate('$monai.utils.CommonKeys.OTHER')).toMatchObject({ marker: 'unevaluated expression' });
    expect(evaluate('$monai.transforms.Compose')).toMatchObject({ marker: 'unevaluated expression' });
  });

  it('concatenates strings of references and literals', () => {
    expect(evaluate("$@bundle_root + '/models'")).toBe('./models');
    expect(evaluate('$@bundle_root + "/models/" + @text')).toBe('./models/a');
  });

  it('takes a branch of `x if cond else y` when the condition is a boolean', () => {
    expect(evaluate('$[1.5, 1.5, 1.5] if @hi else [3.0, 3.0, 3.0]')).toEqual([1.5, 1.5, 1.5]);
    expect(evaluate("$'model.pt' if @lo else 'model_lowres.pt'")).toBe('model_lowres.pt');
    expect(evaluate('$1 if @flag else 2')).toBe(1);
    expect(evaluate('$1 if @n else 2')).toBeInstanceOf(UnevaluatedExpression);
  });

  it('treats torch.device(...) as an opaque device', () => {
    const device = evaluate("$torch.device('cuda:0' if torch.cuda.is_available() else 'cpu')");
    expect(device).toBeInstanceOf(OpaqueValue);
    expect((device as OpaqueValue).what).toBe('torch device');
  });

  it('marks everything else, with the reason, and never guesses', () => {
    const cases: [string, RegExp][] = [
      ['$import glob', /name "import"/],
      ['$numpy.float32', /name "numpy"/],
      ['$list(sorted(glob.glob(@bundle_root)))', /name "list"/],
      ['$@n ** 2', /unsupported syntax at "\*\*"/],
      ['$@n / 0', /division by zero/],
      ["$'a' + 1", /"\+" on a string and a number/],
      ['$[1.5] * 3', /"\*" on a list and a number/],
      ['$lambda x: x > 0', /name "lambda"/],
      ['$@n if @hi', /expected "else"/],
      ["$f'{@n}'", /name "f"/],
    ];
    for (const [expression, reason] of cases) {
      const value = evaluate(expression);
      expect(value, expression).toBeInstanceOf(UnevaluatedExpression);
      expect((value as UnevaluatedExpression).expression).toBe(expression.slice(1));
      expect((value as UnevaluatedExpression).reason, expression).toMatch(reason);
      expect((value as UnevaluatedExpression).id).toBe('x');
    }
  });

  it('marks an expression that uses an unevaluated value, naming it', () => {
    const value = resolveOne({ dtype: '$numpy.float32', x: '$@dtype + 1' }, 'x') as UnevaluatedExpression;
    expect(value).toBeInstanceOf(UnevaluatedExpression);
    expect(value.reason).toMatch(/numpy\.float32/);
  });

  it('still throws for an unknown reference inside an expression', () => {
    expectCode(() => evaluate('$@nothing + 1'), 'MODEL_INVALID', /unknown reference @nothing/);
  });
});

describe('resolveBundleConfig macros', () => {
  it('copies %key from the same config, then resolves it where it lands', () => {
    const config = { base: { size: '@size' }, size: 3, copy: '%base' };
    expect(resolveOne(config, 'copy')).toEqual({ size: 3 });
  });

  it('reads %file#key through the reader it is given', () => {
    const other = { net: { channels: [16, 32] } };
    const value = resolveOne({ x: '%configs/common.json#net#channels' }, 'x', {
      readOtherConfig: (path: string) => (path === 'configs/common.json' ? other : undefined),
    });
    expect(value).toEqual([16, 32]);
  });

  it('reports a macro it cannot read instead of failing', () => {
    const value = resolveOne({ x: { y: '%other.yaml#key' } }, 'x') as { y: UnresolvedMacro };
    expect(value.y).toBeInstanceOf(UnresolvedMacro);
    expect(value.y.reason).toMatch(/other\.yaml/);
    expect((resolveOne({ x: '%nothing#here' }, 'x') as UnresolvedMacro).reason).toMatch(/names nothing/);
  });
});

describe('resolveBundleConfig limits', () => {
  const options = { file: 'configs/inference.json' };

  it('stops a list that doubles per key at the list cap, naming the file and the key', () => {
    const config: Record<string, unknown> = { a0: [1] };
    for (let n = 1; n <= 30; n++) config[`a${n}`] = `$@a${n - 1} + @a${n - 1}`;
    // 2^17 = 131072 is the first length past 100000.
    expectCode(
      () => resolveOne(config, 'a30', options),
      'MODEL_INVALID',
      /^configs\/inference\.json: at "a17": the expression builds a list of 131072 items; Axial stops at 100000/,
    );
    expect(resolveOne(config, 'a16', options)).toHaveLength(65536);
  });

  it('stops a string that doubles per key at the string cap', () => {
    const config: Record<string, unknown> = { s0: "$'x'" };
    for (let n = 1; n <= 30; n++) config[`s${n}`] = `$@s${n - 1} + @s${n - 1}`;
    expectCode(() => resolveOne(config, 's30', options), 'MODEL_INVALID', /at "s20": the expression builds a string of 1048576 characters/);
  });

  it('counts shared references as a tree, and refuses values too large or too deep to walk', () => {
    const wide: Record<string, unknown> = { t0: [0, 0, 0, 0] };
    for (let n = 1; n <= 30; n++) wide[`t${n}`] = [`@t${n - 1}`, `@t${n - 1}`];
    // t_n holds 6 · 2^n − 1 items as a tree: t18 is the first past 1000000.
    expectCode(() => resolveOne(wide, 't30', options), 'MODEL_INVALID', /at "t18": the value holds 1572863 items counted as a tree/);
    // Each key wraps the last in one more list; resolved in order, no single resolution goes deep, but the value does.
    const deep: Record<string, unknown> = { d0: 1, all: [] as string[] };
    for (let n = 1; n <= 150; n++) {
      deep[`d${n}`] = `$[@d${n - 1}]`;
      (deep.all as string[]).push(`@d${n}`);
    }
    expectCode(() => resolveOne(deep, 'all', options), 'MODEL_INVALID', /at "d101": the value nests lists and mappings more than 100 deep/);
  });

  it('refuses nesting, brackets and reference chains past their caps without overflowing the stack', () => {
    let nested: unknown = 1;
    for (let n = 0; n < 5000; n++) nested = [nested];
    expectCode(() => resolveOne({ x: nested }, 'x', options), 'MODEL_INVALID', /"x" nests lists and mappings more than 100 deep/);
    expectCode(
      () => resolveOne({ x: `$${'('.repeat(5000)}1${')'.repeat(5000)}` }, 'x', options),
      'MODEL_INVALID',
      /at "x": references and brackets nest more than 200 deep/,
    );
    expectCode(() => resolveOne({ x: `$${'-'.repeat(5000)}1` }, 'x', options), 'MODEL_INVALID', /nest more than 200 deep/);
    const chain: Record<string, unknown> = { r5000: 1 };
    for (let n = 0; n < 5000; n++) chain[`r${n}`] = `@r${n + 1}`;
    expectCode(() => resolveOne(chain, 'r0', options), 'MODEL_INVALID', /references and brackets nest more than 200 deep/);
    // Well inside the caps, the same shapes resolve.
    expect(resolveOne({ x: `$${'('.repeat(50)}1${')'.repeat(50)}` }, 'x')).toBe(1);
  });

  it('charges macro copies to the step budget', () => {
    const big = Array.from({ length: 50_000 }, (_, n) => n);
    const config: Record<string, unknown> = { big, copies: Array.from({ length: 100 }, () => '%big') };
    expectCode(() => resolveOne(config, 'copies', options), 'MODEL_INVALID', /more than 4000000 steps/);
  });
});
