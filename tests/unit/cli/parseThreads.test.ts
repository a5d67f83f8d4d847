import { describe, expect, it } from 'vitest';
import { parseThreads } from '../../../main/cli/parseThreads.js';

describe('parseThreads', () => {
  it('is undefined when absent (one thread per core), the number when a whole number from 1', () => {
    expect(parseThreads(undefined)).toBeUndefined();
    expect(parseThreads('1')).toBe(1);
    expect(parseThreads('16')).toBe(16);
  });

  it.each(['0', '-2', '1.5', '', ' 2', '2x', '1e3', '99999999999999999999'])('refuses "%s" with CLI_USAGE', (value) => {
    expect(() => parseThreads(value)).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });
});
