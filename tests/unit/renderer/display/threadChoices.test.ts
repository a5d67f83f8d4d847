import { describe, expect, it } from 'vitest';
import { threadChoices } from '../../../../renderer/display/threadChoices.js';

describe('threadChoices', () => {
  it('offers 1 to the number of cores, and a saved count above it too', () => {
    expect(threadChoices(4, null)).toEqual([1, 2, 3, 4]);
    expect(threadChoices(2, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(threadChoices(0, null)).toEqual([1]);
    expect(threadChoices(1024, null)).toHaveLength(256);
  });
});
