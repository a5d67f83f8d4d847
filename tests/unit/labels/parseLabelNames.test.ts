import { describe, expect, it } from 'vitest';
import { maxLabelFileBytes, parseLabelNames } from '../../../main/labels/parseLabelNames.js';
import { sanitiseLabelName } from '../../../main/labels/sanitiseLabelName.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseLabelNames', () => {
  it('reads an ITK-SNAP label description file, skipping the clear label and comments', () => {
    const text = [
      '# ITK-SnAP Label Description File',
      '    0     0    0    0        0  0  0    "Clear Label"',
      '    1   255    0    0        1  1  1    "spleen"',
      '   12     0  128  255     0.50  1  0    "Left kidney"',
      '',
    ].join('\n');
    expect(parseLabelNames(bytes(text))).toEqual({
      ok: true,
      format: 'itk-snap',
      warnings: [],
      segments: [
        { value: 1, name: 'spleen', colour: [255, 0, 0] },
        { value: 12, name: 'Left kidney', colour: [0, 128, 255] },
      ],
    });
  });

  it('reads a 3D Slicer colour table (CRLF, extra columns ignored)', () => {
    const text = '# Color table file x.ctbl\r\n# 3 values\r\n0 Background 0 0 0 0\r\n1 liver 221 130 101 255\r\n300 aorta 224 97 76 255 SCT^1^x\r\n';
    const parsed = parseLabelNames(bytes(text));
    expect(parsed).toMatchObject({ ok: true, format: 'slicer', warnings: [] });
    expect(parsed.ok && parsed.segments).toEqual([
      { value: 1, name: 'liver', colour: [221, 130, 101] },
      { value: 300, name: 'aorta', colour: [224, 97, 76] },
    ]);
  });

  it('skips lines with bad numbers and counts them, keeping the first of a repeated value', () => {
    const text = [
      '1 255 0 0 1 1 1 "good"',
      '2 256 0 0 1 1 1 "red over 255"',
      '3 1e2 0 0 1 1 1 "exponent"',
      '70000 1 1 1 1 1 1 "value over 65535"',
      '-4 1 1 1 1 1 1 "negative"',
      '5 1 1 1 2 1 1 "alpha 2"',
      '6 1 1 1 1 1 1 "unclosed',
      '1 0 0 255 1 1 1 "again"',
    ].join('\n');
    const parsed = parseLabelNames(bytes(text));
    expect(parsed).toEqual({
      ok: true,
      format: 'itk-snap',
      segments: [{ value: 1, name: 'good', colour: [255, 0, 0] }],
      warnings: ['6 unreadable line(s) skipped, the first line 2', '1 label value(s) given twice; the first kept'],
    });
  });

  it('refuses binary, oversized, endless and empty files with the reason', () => {
    expect(parseLabelNames(new Uint8Array([0x31, 0x20, 0x00, 0xff]))).toEqual({ ok: false, reason: 'is not a text file' });
    expect(parseLabelNames(new Uint8Array(maxLabelFileBytes + 1).fill(0x20))).toEqual({
      ok: false,
      reason: `is ${maxLabelFileBytes + 1} bytes, over the ${maxLabelFileBytes}-byte limit for a label table`,
    });
    expect(parseLabelNames(bytes('\n'.repeat(80_000)))).toMatchObject({ ok: false, reason: 'has 80001 lines, over the 70000-line limit for a label table' });
    expect(parseLabelNames(bytes('# nothing\n0 Background 0 0 0 0\n'))).toEqual({ ok: false, reason: 'names no labels' });
    expect(parseLabelNames(bytes('hello world\n'))).toEqual({ ok: false, reason: 'has no readable label line (line 1 is not one)' });
  });

  it('sanitises names: control, bidi-override and quote characters go, 64 characters at most', () => {
    const text = `1 1 2 3 1 1 1 "a\u202Eevil\u0007 ${'x'.repeat(100)}"\n2 liver\u0000 1 1 1 1`;
    // The NUL refuses the whole file; without it the name is cleaned.
    expect(parseLabelNames(bytes(text)).ok).toBe(false);
    const parsed = parseLabelNames(bytes(text.replace('\u0000', '')));
    const name = parsed.ok ? parsed.segments[0]!.name : '';
    expect(name.startsWith('a evil x')).toBe(true);
    expect([...name]).toHaveLength(64);
    expect(sanitiseLabelName('  "\t\n"  ')).toBe('');
    expect(sanitiseLabelName('Leber grün 肝臓')).toBe('Leber grün 肝臓');
  });
});
