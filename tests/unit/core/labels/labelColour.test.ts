import { describe, expect, it } from 'vitest';
import { labelColour } from '../../../../core/labels/labelColour.js';

describe('labelColour', () => {
  it('gives label 1 red and label 2 green (hues a golden angle apart, from 0°)', () => {
    expect(labelColour(1)).toEqual([226, 54, 54]);
    expect(labelColour(2)).toEqual([54, 226, 104]);
  });

  it('never gives two neighbouring labels of the first 255 the same colour', () => {
    for (let v = 1; v < 255; v++) expect(labelColour(v)).not.toEqual(labelColour(v + 1));
  });
});
