import { describe, expect, it } from 'vitest';
import { segmentKeyOf } from '../../../../core/labels/segmentKey.js';

describe('segmentKeyOf', () => {
  it('writes layer:value', () => {
    expect(segmentKeyOf({ layer: 1, value: 42 })).toBe('1:42');
  });
});
