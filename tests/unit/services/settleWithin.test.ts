import { describe, expect, it } from 'vitest';
import { settleWithin } from '../../../main/services/settleWithin.js';

describe('settleWithin', () => {
  it('is true when the promise settles in time, either way', async () => {
    expect(await settleWithin(Promise.resolve(1), 10_000)).toBe(true);
    expect(await settleWithin(Promise.reject(new Error('failed')), 10_000)).toBe(true);
  });

  it('is false when the time runs out first', async () => {
    expect(await settleWithin(new Promise(() => undefined), 10)).toBe(false);
  });
});
