import { describe, expect, it } from 'vitest';
import { dicomTextValue } from '../../../main/dicomSeg/dicomTextValue.js';

describe('dicomTextValue', () => {
  it('leaves a valid value as it is, trimmed', () => {
    expect(dicomTextValue('  Liver (checked) ', 'LO')).toEqual({ value: 'Liver (checked)', changes: [] });
    expect(dicomTextValue('Doe^Jane', 'PN')).toEqual({ value: 'Doe^Jane', changes: [] });
  });

  it('makes control characters spaces and backslashes "/" in every VR', () => {
    expect(dicomTextValue('a\tb\r\nc\u001bd\u0085e', 'LO')).toEqual({ value: 'a b  c d e', changes: ['control characters replaced by spaces'] });
    expect(dicomTextValue('left\\right', 'SH')).toEqual({ value: 'left/right', changes: ['backslashes replaced by "/"'] });
    expect(dicomTextValue('Doe\\Jane', 'PN').value).toBe('Doe/Jane');
  });

  it('cuts to the most characters, not bytes or UTF-16 units, and trims what the cut leaves', () => {
    expect(dicomTextValue('é'.repeat(70), 'LO')).toEqual({ value: 'é'.repeat(64), changes: ['cut to 64 characters'] });
    expect(dicomTextValue('😀'.repeat(20), 'SH').value).toBe('😀'.repeat(16));
    expect(dicomTextValue(`${'a'.repeat(63)} b`, 'LO').value).toBe('a'.repeat(63));
  });

  it('makes a CS upper case A–Z, 0–9, space and "_", 16 characters at most', () => {
    expect(dicomTextValue('liver seg', 'CS')).toEqual({ value: 'LIVER SEG', changes: [] });
    expect(dicomTextValue('Müller-Lyer segmentation', 'CS')).toEqual({
      value: 'M_LLER_LYER SEGM',
      changes: ['characters other than A-Z, 0-9, space and "_" replaced by "_"', 'cut to 16 characters'],
    });
  });

  it("cuts each of a PN's component groups to 64 characters, and keeps at most three", () => {
    const long = 'x'.repeat(70);
    expect(dicomTextValue(`${long}=Ideographic=Phonetic=Fourth`, 'PN')).toEqual({
      value: `${'x'.repeat(64)}=Ideographic=Phonetic`,
      changes: ['cut to 3 component groups', 'cut to 64 characters a component group'],
    });
  });
});
