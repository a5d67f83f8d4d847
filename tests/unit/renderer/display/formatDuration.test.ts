import { describe, expect, it } from 'vitest';
import { formatTimeLeft } from '../../../../renderer/display/formatDuration.js';

describe('formatTimeLeft', () => {
  it('says the time left in words', () => {
    expect(formatTimeLeft(null)).toBe('estimating time left');
    expect(formatTimeLeft(12.4)).toBe('about 12 s left');
    expect(formatTimeLeft(300)).toBe('about 5 min left');
  });
});
