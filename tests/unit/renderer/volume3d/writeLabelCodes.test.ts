import { describe, expect, it } from 'vitest';
import { labelDisplayOf } from '../../../../renderer/display/labelDisplayOf.js';
import { writeLabelCodes } from '../../../../renderer/volume3d/writeLabelCodes.js';

describe('writeLabelCodes', () => {
  it('draws later layers over earlier ones as layerBase + value, and reports whether anything changed', () => {
    const first = new Uint8Array([0, 1, 2, 0, 1]);
    const second = new Uint8Array([0, 0, 1, 2, 0]);
    const segment = (layer: number, value: number) => ({
      layer,
      value,
      name: '',
      colour: [0, 0, 0] as [number, number, number],
      algorithmType: 'MANUAL' as const,
      locked: false,
    });
    const labels = labelDisplayOf([first, second], [segment(0, 1), segment(0, 2), segment(1, 1), segment(1, 2)], 1);
    const codes = new Uint8Array(5);
    expect(writeLabelCodes(labels, codes, 0, 5)).toBe(true);
    expect([...codes]).toEqual([0, 1, 3, 4, 1]);
    expect(writeLabelCodes(labels, codes, 0, 5)).toBe(false);
    first[4] = 2;
    expect(writeLabelCodes(labels, codes, 0, 4)).toBe(false);
    expect(writeLabelCodes(labels, codes, 4, 5)).toBe(true);
    expect(codes[4]).toBe(2);
  });
});
