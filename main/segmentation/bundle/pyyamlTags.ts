import type { ScalarTag, Tags } from 'yaml';

/** PyYAML's implicit resolvers (yaml/resolver.py), which MONAI's `yaml.load(…, SafeLoader subclass)` uses. */
const pyyamlTrue = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const pyyamlFalse = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
// A float needs a dot, and an exponent needs its sign: `1e-4` and `1.0e3` stay strings in PyYAML.
const pyyamlFloat = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/;
// A decimal int has no leading zero (`09` is a string; `017` is octal, as in the 1.1 schema).
const pyyamlDecimal = /^[-+]?(?:0|[1-9][0-9_]*)$/;

const isScalarTag = (tag: Tags[number]): tag is ScalarTag => typeof tag === 'object' && 'test' in tag && tag.test instanceof RegExp;

/**
 * The `yaml` package's YAML 1.1 tags, changed to resolve plain scalars as PyYAML does: `y`/`n` are strings, not
 * booleans; `1e-4` is a string, not a number; `09` a string. Use with `{ version: '1.1', customTags: pyyamlTags }`.
 */
export function pyyamlTags(tags: Tags): Tags {
  return tags.flatMap((tag): Tags => {
    if (!isScalarTag(tag)) return [tag];
    const src = tag.test!.source;
    // Checked against PyYAML at test time (pyyamlTags.test.ts); the `yaml` package's 1.1 schema differs only here.
    if (tag.tag === 'tag:yaml.org,2002:bool') return [{ ...tag, test: tag.test!.test('true') ? pyyamlTrue : pyyamlFalse }];
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.format === 'EXP') return []; // folded into the plain float below
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.format === undefined && !src.includes('inf')) {
      return [{ ...tag, test: pyyamlFloat, resolve: (str: string) => parseFloat(str.replace(/_/g, '')) }];
    }
    if (tag.tag === 'tag:yaml.org,2002:int' && tag.format === undefined) return [{ ...tag, test: pyyamlDecimal }];
    // PyYAML makes `2024-01-31` a date; a config value Axial reads is never one, and a string keeps the tree plain JSON.
    if (tag.tag === 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME') return [];
    return [tag];
  });
}
